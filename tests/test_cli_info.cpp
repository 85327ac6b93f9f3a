// `scratchnet info`: a summary a person reads in one screen, whose every number is checked here
// against an independent source (the layer arithmetic, eval on the same rows, the optimizers'
// documented defaults), and `info --json`, one object for programs.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "scratchnet/io/safetensors.hpp"
#include "temporary_folder.hpp"

namespace scratchnet {
namespace {

using testing::CommandResult;
using testing::fresh_folder;
using testing::lines;
using testing::run_cli;
using testing::write_bytes;

// Rows of five features named f0..f4 and one of three classes, "north", "east" or "south",
// chosen by which of the first three features is largest.
std::string three_class_csv(int rows, int seed) {
  std::string text = "f0,f1,f2,f3,f4,direction\n";
  unsigned state = unsigned(seed) * 2654435761u + 1;
  const auto next = [&] {
    state = state * 1664525u + 1013904223u;
    return double(state >> 8) / double(1u << 24);
  };
  for (int i = 0; i < rows; ++i) {
    double f[5];
    for (double& value : f)
      value = next();
    const int label = f[0] > f[1] && f[0] > f[2] ? 0 : (f[1] > f[2] ? 1 : 2);
    for (const double value : f)
      text += std::to_string(value) + ",";
    text += std::string(label == 0 ? "north" : label == 1 ? "east" : "south") + "\n";
  }
  return text;
}

struct Trained {
  std::string folder, data, test, model;
};

Trained train(const std::vector<std::string>& flags) {
  Trained t;
  t.folder = fresh_folder("info");
  t.data = t.folder + "/train.csv";
  t.test = t.folder + "/test.csv";
  t.model = t.folder + "/model.safetensors";
  write_bytes(t.data, three_class_csv(300, 1));
  write_bytes(t.test, three_class_csv(90, 2));
  std::vector<std::string> arguments = {"train", "--data",  t.data,  "--test",
                                        t.test,  "--quiet", "--out", t.model};
  arguments.insert(arguments.end(), flags.begin(), flags.end());
  const CommandResult result = run_cli(arguments);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  return t;
}

bool has_line(const std::string& text, const std::string& line) {
  for (const std::string& each : lines(text))
    if (each == line) return true;
  return false;
}

TEST(CliInfo, SummarisesTheModelOnOneScreen) {
  const Trained t = train({"--layers", "16:relu,8:tanh,3", "--optimizer", "adamw", "--epochs", "12",
                           "--patience", "4"});
  const CommandResult info = run_cli({"info", t.model});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  const std::string& out = info.out;
  EXPECT_LE(lines(out).size(), 40u) << out;
  // Parameters by hand: 5·16+16, 16·8+8, 8·3+3.
  EXPECT_TRUE(has_line(out, t.model + ": a model, float32, 259 parameters")) << out;
  EXPECT_TRUE(has_line(out, "  0  Linear(5, 16)  [16]                  96")) << out;
  EXPECT_TRUE(has_line(out, "  1  ReLU()         [16]                   0")) << out;
  EXPECT_TRUE(has_line(out, "  2  Linear(16, 8)  [8]                  136")) << out;
  EXPECT_TRUE(has_line(out, "  4  Linear(8, 3)   [3]                   27")) << out;
  EXPECT_TRUE(has_line(out, "  total                                  259")) << out;
  EXPECT_TRUE(has_line(out, "features (5): f0, f1, f2, f3, f4")) << out;
  EXPECT_TRUE(has_line(out, "label: direction; classes (3): east, north, south")) << out;
  // The settings as used: AdamW's documented defaults (lr 3e-3, weight decay 1e-2 as
  // torch.optim.AdamW's), not the placeholders the flags leave.
  EXPECT_NE(out.find("settings: adamw, lr 0.003, weight decay 0.01, "), std::string::npos) << out;
  EXPECT_NE(out.find("normalize standard"), std::string::npos) << out;
  EXPECT_EQ(out.find("-1"), std::string::npos) << out;

  // The test metrics are eval's on the same rows.
  const CommandResult eval = run_cli({"eval", t.model, t.test, "--json"});
  ASSERT_EQ(eval.exit_code, 0) << eval.err;
  const nlohmann::json metrics = nlohmann::json::parse(eval.out);
  const nlohmann::json& confusion = metrics["confusion"];
  int correct = 0;
  for (int c = 0; c < 3; ++c)
    correct += confusion[c][c].get<int>();
  char accuracy[64];
  std::snprintf(accuracy, sizeof accuracy, "accuracy %.4f (%d/90)", correct / 90.0, correct);
  EXPECT_NE(out.find(accuracy), std::string::npos) << accuracy << "\n" << out;
  // The confusion matrix as a table: a row per true class, counts under the class numbers.
  std::size_t name_width = 0;
  for (int truth = 0; truth < 3; ++truth)
    name_width = std::max(name_width, metrics["classes"][truth].get<std::string>().size() + 2);
  for (int truth = 0; truth < 3; ++truth) {
    std::ostringstream row;
    const std::string name =
        std::to_string(truth) + " " + metrics["classes"][truth].get<std::string>();
    row << "  " << name << std::string(name_width - name.size(), ' ');
    for (int predicted = 0; predicted < 3; ++predicted) {
      const std::string count = std::to_string(confusion[truth][predicted].get<int>());
      row << std::string(1 + 2 - count.size(), ' ') << count;
    }
    EXPECT_TRUE(has_line(out, row.str())) << row.str() << "\n" << out;
  }
}

TEST(CliInfo, JsonIsOneObjectWithTheMetadataParsedAndTheSettingsUsed) {
  const Trained t = train({"--layers", "4:relu,3", "--optimizer", "sgd", "--epochs", "2"});
  const CommandResult info = run_cli({"info", "--json", t.model});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  ASSERT_EQ(lines(info.out).size(), 1u);
  const nlohmann::json json = nlohmann::json::parse(info.out);
  EXPECT_EQ(json["parameters"], 5 * 4 + 4 + 4 * 3 + 3);
  EXPECT_EQ(json["metadata"]["classes"], nlohmann::json({"east", "north", "south"}));
  EXPECT_EQ(json["metadata"]["spec"], "4:relu,3");
  // SGD's default learning rate, 0.01, and no weight decay, recorded by the run as used.
  EXPECT_EQ(json["metadata"]["training"]["settings"]["lr"], 0.01);
  EXPECT_EQ(json["metadata"]["training"]["settings"]["weight_decay"], 0.0);
  EXPECT_EQ(json["metadata"]["training"]["settings"]["normalize"], "standard");
  EXPECT_EQ(json["settings_used"], json["metadata"]["training"]["settings"]);
  ASSERT_EQ(json["tensors"].size(), 4u);
  EXPECT_EQ(
      json["tensors"][0],
      nlohmann::json(
          {{"name", "0.weight"}, {"dtype", "F32"}, {"shape", {4, 5}}, {"role", "parameter"}}));
}

// Files written before models recorded the settings as used hold placeholders: 0 for the
// optimizer's learning rate, -1 for its weight decay, "" for the data's normalization. info
// shows what those runs used.
TEST(CliInfo, ResolvesThePlaceholdersOfOlderFiles) {
  const Trained t = train({"--layers", "4:relu,3", "--optimizer", "rmsprop", "--epochs", "2"});
  io::SafetensorsFile file = io::read_safetensors(t.model);
  nlohmann::json training = nlohmann::json::parse(file.metadata.at("training"));
  training["settings"]["lr"] = 0.0;
  training["settings"]["weight_decay"] = -1.0;
  training["settings"]["normalize"] = "";
  file.metadata["training"] = training.dump();
  const std::string old = t.folder + "/old.safetensors";
  write_bytes(old, io::encode_safetensors(file.tensors, file.metadata));
  const CommandResult info = run_cli({"info", old});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  // RMSprop: torch.optim.RMSprop's lr 1e-2, weight decay 0; CSV rows are standardised.
  EXPECT_NE(info.out.find("settings: rmsprop, lr 0.01, weight decay 0, "), std::string::npos)
      << info.out;
  EXPECT_NE(info.out.find("normalize standard"), std::string::npos) << info.out;
  const nlohmann::json json = nlohmann::json::parse(run_cli({"info", "--json", old}).out);
  EXPECT_EQ(json["metadata"]["training"]["settings"]["lr"], 0.0);  // the file, as it is
  EXPECT_EQ(json["settings_used"]["lr"], 0.01);
  EXPECT_EQ(json["settings_used"]["weight_decay"], 0.0);
  EXPECT_EQ(json["settings_used"]["normalize"], "standard");
}

// The training record is free-form: an optimizer this build does not know keeps its
// placeholders instead of stopping info (a fuzzer found `info` throwing on "ad[#").
TEST(CliInfo, AnUnknownOptimizerInTheTrainingRecordKeepsItsPlaceholders) {
  const Trained t = train({"--layers", "4:relu,3", "--epochs", "1"});
  io::SafetensorsFile file = io::read_safetensors(t.model);
  nlohmann::json training = nlohmann::json::parse(file.metadata.at("training"));
  training["settings"]["optimizer"] = "ad[#";
  training["settings"]["lr"] = 0.0;
  file.metadata["training"] = training.dump();
  const std::string odd = t.folder + "/odd.safetensors";
  write_bytes(odd, io::encode_safetensors(file.tensors, file.metadata));
  const CommandResult info = run_cli({"info", odd});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_NE(info.out.find("settings: ad[#, lr 0, "), std::string::npos) << info.out;
  const CommandResult json = run_cli({"info", "--json", odd});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  EXPECT_EQ(nlohmann::json::parse(json.out)["settings_used"]["lr"], 0.0);
}

// A data file given where a model belongs is named as what it is not, in one line, by every
// command that reads models.
TEST(CliInfo, AFileThatIsNotSafetensorsIsSaidToBeSo) {
  const std::string folder = fresh_folder("not_safetensors");
  const std::string csv = folder + "/rows.csv";
  write_bytes(csv, three_class_csv(20, 3));
  for (const std::vector<std::string>& arguments :
       {std::vector<std::string>{"info", csv}, std::vector<std::string>{"eval", csv, csv},
        std::vector<std::string>{"predict", csv, csv}}) {
    const CommandResult result = run_cli(arguments);
    EXPECT_EQ(result.exit_code, 1) << arguments[0];
    ASSERT_EQ(lines(result.err).size(), 1u) << result.err;
    EXPECT_TRUE(result.err.starts_with("scratchnet: error: " + csv +
                                       ": not a safetensors file (header length "))
        << result.err;
  }
}

}  // namespace
}  // namespace scratchnet
