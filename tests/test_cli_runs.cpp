// A checkpoint folder belongs to one run: checkpoints carry the run's settings, id and data
// fingerprint; every setting read back is checked as its flag is; a resume that disagrees with
// the run is refused, naming the difference; a new run does not take over another run's folder
// unless told to; two runs never share a folder at once; and a resumed run keeps its precision.
#include <gtest/gtest.h>

#include <csignal>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "cli_runner.hpp"
#include "scratchnet/io/checkpoint.hpp"
#include "scratchnet/io/safetensors.hpp"
#include "temporary_folder.hpp"

namespace scratchnet {
namespace {

using testing::finish_cli;
using testing::fresh_folder;
using testing::names_in;
using testing::read_bytes;
using testing::run_cli;
using testing::start_cli;
using testing::write_bytes;

// Three classes by which of two measurements is larger; `offset` shifts every value, for data
// with as many rows but other values.
std::string three_class_csv(int rows, double offset = 0) {
  std::ostringstream text;
  text << "a,b,label\n";
  for (int i = 0; i < rows; ++i) {
    const double a = (i * 37 % 100) / 10.0, b = (i * 61 % 100) / 10.0;
    text << a + offset << "," << b << "," << (a > b + 1 ? "x" : (b > a + 1 ? "z" : "y")) << "\n";
  }
  return text.str();
}

struct Workspace {
  std::string folder = fresh_folder("runs");
  std::string data = folder + "/data.csv";
  std::string checkpoints = folder + "/checkpoints";
  Workspace() { write_bytes(data, three_class_csv(150)); }

  // `train --data DATA --quiet` with `extra`.
  testing::CommandResult train(const std::vector<std::string>& extra) const {
    std::vector<std::string> arguments = {"train", "--data", data, "--quiet"};
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    return run_cli(arguments);
  }
};

// The metadata of a safetensors file.
std::map<std::string, std::string> metadata_of(const std::string& path) {
  return io::read_safetensors(path).metadata;
}

// A checkpoint crafted from a real one, one value changed: refused with one line naming the file,
// the metadata key and the setting, exit status 1, as a bad file is.
TEST(CliRuns, ACheckpointsSettingsAreCheckedAsTheirFlagsAre) {
  const Workspace w;
  ASSERT_EQ(w.train({"--layers", "8:relu,3", "--epochs", "1", "--checkpoint-dir", w.checkpoints})
                .exit_code,
            0);
  const io::SafetensorsFile good =
      io::read_safetensors(w.checkpoints + "/checkpoint-epoch-0001.safetensors");
  const std::string crafted = w.folder + "/crafted.safetensors";
  const auto resume_with = [&](const std::string& key, const std::string& text) {
    auto metadata = good.metadata;
    metadata[key] = text;
    write_bytes(crafted, io::encode_safetensors(good.tensors, metadata));
    return w.train({"--resume", crafted, "--epochs", "2"});
  };
  // "options" with `key` set to `value`, or taken out when `value` is null.
  const auto options_with = [&](const std::string& key, const nlohmann::json& value) {
    nlohmann::json options = nlohmann::json::parse(good.metadata.at("options"));
    if (value.is_null()) {
      options.erase(key);
    } else {
      options[key] = value;
    }
    return resume_with("options", options.dump());
  };
  const std::string prefix = "scratchnet: error: " + crafted + ": metadata ";

  // The crash of the issue: a batch of 0 was a division by zero.
  const auto zero_batch = options_with("batch", 0);
  EXPECT_EQ(zero_batch.exit_code, 1);
  EXPECT_EQ(zero_batch.err,
            prefix + "'options': 'batch' must be a whole number from 1 to 1000000, got 0\n");
  const std::vector<std::pair<testing::CommandResult, std::string>> refused = {
      {options_with("epochs", 2'000'000),
       "'options': 'epochs' must be a whole number from 1 to 1000000, got 2000000"},
      {options_with("batch", 64.5),
       "'options': 'batch' must be a whole number from 1 to 1000000, "
       "got 64.5"},
      {options_with("seed", -1),
       "'options': 'seed' must be a whole number from 0 to 4294967295, got -1"},
      {options_with("lr", "0.1"), "'options': 'lr' must be a number, got \"0.1\""},
      {options_with("lr", -0.5), "'options': 'lr' must be a finite number >= 0, got -0.5"},
      {options_with("val_split", 1),
       "'options': 'val_split' must be a number from 0 to below 1, "
       "got 1"},
      {options_with("loss", "hinge"),
       "'options': 'loss' expected one of ce, bce, mse, sse, got 'hinge'"},
      {options_with("dtype", "f16"), "'options': 'dtype' expected one of f32, f64, got 'f16'"},
      {options_with("layers", "8:relu,"), "'options': 'layers' "},
      {options_with("warmup", 5),
       "'options': 'warmup' must be fewer epochs than 'epochs'"},  // the run's epochs are 1
      {options_with("nesterov", true), "'options': 'nesterov' needs 'momentum'"},
      {options_with("shuffle", 1), "'options': 'shuffle' must be true or false, got 1"},
      {options_with("patience", nullptr), "'options': 'patience' is missing"},
      {options_with("bach", 64), "'options': unknown key \"bach\""},
      {options_with("dtype", "f64"), "'options': 'dtype' is f64 but tensor '"},
      {resume_with("options", "[]"), "'options': not a JSON object of training settings"},
      {resume_with("best_epoch", R"({"epoch":2,"val_loss":"0.5","epochs_since":0})"),
       "'best_epoch': epoch 2 is after the checkpoint's epoch 1"},
      {resume_with("history", "[]"),
       "'history': holds 0 epochs but the checkpoint is after epoch 1"},
      {resume_with("history", R"([{"epoch":1,"loss":"low","accuracy":null,"val_loss":null,)"
                              R"("val_accuracy":null,"seconds":1,"samples_per_second":1}])"),
       "'history': epoch 1: 'loss' must be a number or null"},
  };
  for (const auto& [result, problem] : refused) {
    EXPECT_EQ(result.exit_code, 1) << problem;
    EXPECT_EQ(result.err.rfind(prefix + problem, 0), 0u) << result.err;
    EXPECT_EQ(testing::lines(result.err).size(), 1u) << result.err;
  }
  // And the file as it was resumes.
  write_bytes(crafted, read_bytes(w.checkpoints + "/checkpoint-epoch-0001.safetensors"));
  EXPECT_EQ(w.train({"--resume", crafted, "--epochs", "2"}).exit_code, 0);
}

// The issue's case: a second run with other --layers in the first run's folder. Refused, the
// first run's checkpoints untouched; told to replace them, it does so, and a resume then goes on
// with the second run.
TEST(CliRuns, ANewRunIsRefusedAnotherRunsFolderUnlessToldToReplaceIt) {
  const Workspace w;
  ASSERT_EQ(w.train({"--layers", "8:relu,3", "--epochs", "12", "--checkpoint-dir", w.checkpoints})
                .exit_code,
            0);
  const std::vector<std::string> first_run = names_in(w.checkpoints);
  ASSERT_EQ(first_run.size(), 4u);  // three checkpoints and the lock file

  const std::vector<std::string> second = {"--layers", "16:relu,3",        "--epochs",
                                           "5",        "--checkpoint-dir", w.checkpoints};
  const auto refused = w.train(second);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(refused.err, "scratchnet: error: " + w.checkpoints +
                             ": holds checkpoints of another run (checkpoint-epoch-0012."
                             "safetensors and 2 more); go on with that run with --resume " +
                             w.checkpoints + ", or replace them with --overwrite-checkpoints\n");
  EXPECT_EQ(names_in(w.checkpoints), first_run);

  std::vector<std::string> replacing = second;
  replacing.push_back("--overwrite-checkpoints");
  const auto replaced = w.train(replacing);
  ASSERT_EQ(replaced.exit_code, 0) << replaced.err;
  EXPECT_EQ(names_in(w.checkpoints),
            (std::vector<std::string>{".scratchnet-lock", "checkpoint-epoch-0003.safetensors",
                                      "checkpoint-epoch-0004.safetensors",
                                      "checkpoint-epoch-0005.safetensors"}));

  const std::string model = w.folder + "/model.safetensors";
  const auto resumed = w.train({"--resume", w.checkpoints, "--epochs", "6", "--out", model});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(metadata_of(model).at("spec"), "16:relu,3");
}

// A resume takes the run's settings; a flag given that says otherwise is refused, naming both.
TEST(CliRuns, AResumeThatDisagreesWithTheRunIsRefused) {
  const Workspace w;
  ASSERT_EQ(w.train({"--layers", "8:relu,3", "--optimizer", "sgd", "--dtype", "f64", "--epochs",
                     "2", "--checkpoint-dir", w.checkpoints})
                .exit_code,
            0);
  const auto resume = [&](std::vector<std::string> extra) {
    extra.insert(extra.begin(), {"--resume", w.checkpoints, "--epochs", "3"});
    return w.train(extra);
  };
  const std::string run =
      "scratchnet: error: --resume: the run in " + w.checkpoints + " was trained with ";
  const std::vector<std::pair<std::vector<std::string>, std::string>> conflicts = {
      {{"--optimizer", "adam"}, "--optimizer sgd; this command says adam"},
      {{"--dtype", "f32"}, "--dtype f64; this command says f32"},
      {{"--layers", "16:relu,3"}, "--layers 8:relu,3; this command says 16:relu,3"},
      {{"--loss", "mse"}, "--loss ce; this command says mse"},
      {{"--lr", "0.5"}, "--lr the optimizer's default; this command says 0.5"},
      {{"--batch", "32"}, "--batch 64; this command says 32"},
  };
  for (const auto& [flags, difference] : conflicts) {
    const auto result = resume(flags);
    EXPECT_EQ(result.exit_code, 2) << flags[0];
    EXPECT_EQ(testing::lines(result.err).front(), run + difference);
  }

  // --epochs may change, but not to as few as the run's warm-up.
  const std::string warm = w.folder + "/warm";
  ASSERT_EQ(
      w.train({"--layers", "8:relu,3", "--warmup", "2", "--epochs", "3", "--checkpoint-dir", warm})
          .exit_code,
      0);
  const auto short_run = w.train({"--resume", warm, "--epochs", "2"});
  EXPECT_EQ(short_run.exit_code, 2);
  EXPECT_EQ(testing::lines(short_run.err).front(),
            "scratchnet: error: --epochs: must be more than the run's --warmup of 2 epochs");

  // Other data: fewer rows, or as many with other values.
  const auto other_data = [&](const std::string& csv) {
    const std::string path = w.folder + "/other.csv";
    write_bytes(path, csv);
    return run_cli({"train", "--data", path, "--resume", w.checkpoints, "--epochs", "3"});
  };
  const std::string data = "scratchnet: error: --data: not the data the run in " + w.checkpoints +
                           " was trained on (150 rows, 2 features; this data has ";
  const auto fewer = other_data(three_class_csv(120));
  EXPECT_EQ(fewer.exit_code, 2);
  EXPECT_EQ(testing::lines(fewer.err).front(), data + "120 rows, 2 features)");
  const auto shifted = other_data(three_class_csv(150, 0.5));
  EXPECT_EQ(shifted.exit_code, 2);
  EXPECT_EQ(testing::lines(shifted.err).front(), data + "as many, with other values)");

  // Flags that agree with the run are fine, and the model comes out in the run's precision.
  const std::string model = w.folder + "/model.safetensors";
  const auto same = resume({"--optimizer", "sgd", "--layers", "8:relu,3", "--out", model});
  ASSERT_EQ(same.exit_code, 0) << same.err;
  for (const io::TensorRecord& tensor : io::read_safetensors(model).tensors)
    EXPECT_EQ(tensor.dtype, io::Dtype::F64) << tensor.name;
}

// The issue's case: an f64 run resumed without --dtype finished as f32. It goes on in f64, to
// the very bytes of the run never stopped; and the run id stays out of the model file.
TEST(CliRuns, AnF64RunResumedWithoutDtypeEndsAsTheUnbrokenRun) {
  const Workspace w;
  // A constant rate, so that 2 epochs resumed to 4 are the 4 (a cosine is planned over them).
  const std::vector<std::string> run = {
      "--layers", "12:relu,dropout:0.2,3", "--dtype", "f64", "--seed", "4", "--schedule",
      "constant"};
  const auto with = [&](std::vector<std::string> extra) {
    extra.insert(extra.begin(), run.begin(), run.end());
    return w.train(extra);
  };
  const std::string straight = w.folder + "/straight.safetensors";
  ASSERT_EQ(
      with({"--epochs", "4", "--out", straight, "--checkpoint-dir", w.folder + "/other"}).exit_code,
      0);
  ASSERT_EQ(with({"--epochs", "2", "--checkpoint-dir", w.checkpoints}).exit_code, 0);
  const std::string resumed = w.folder + "/resumed.safetensors";
  const auto result = w.train({"--resume", w.checkpoints, "--epochs", "4", "--out", resumed,
                               "--checkpoint-dir", w.checkpoints});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(read_bytes(resumed), read_bytes(straight));
  EXPECT_EQ(io::read_safetensors(resumed).tensors.front().dtype, io::Dtype::F64);

  // Both runs have ids, not the same; the resumed run kept its own.
  const std::string id =
      io::checkpoint_run_id(w.checkpoints + "/checkpoint-epoch-0004.safetensors");
  EXPECT_TRUE(io::is_run_id(id));
  EXPECT_EQ(io::checkpoint_run_id(w.checkpoints + "/checkpoint-epoch-0002.safetensors"), id);
  EXPECT_NE(io::checkpoint_run_id(w.folder + "/other/checkpoint-epoch-0004.safetensors"), id);
  EXPECT_EQ(metadata_of(resumed).count("run_id"), 0u);
}

// While a run trains, its folder is its own: a second run, new or resuming, replacing or not, is
// refused at once naming the first one's pid. Once the first is gone (kill -9 included), the
// folder is free again.
TEST(CliRuns, TwoRunsAtOnceOnOneFolderAreRefused) {
  const Workspace w;
  write_bytes(w.data, three_class_csv(3000));
  const std::vector<std::string> layers = {"--layers", "64:relu,3", "--threads", "1"};
  std::vector<std::string> endless = {
      "train",  "--data",           w.data,       "--quiet", "--epochs",
      "100000", "--checkpoint-dir", w.checkpoints};
  endless.insert(endless.end(), layers.begin(), layers.end());
  const testing::RunningCli running = start_cli(endless);
  while (io::list_checkpoints(w.checkpoints).empty())  // until it has saved once
    std::this_thread::sleep_for(std::chrono::milliseconds(1));

  const std::string busy = "scratchnet: error: " + w.checkpoints +
                           ": another scratchnet run (pid " + std::to_string(running.pid) +
                           ") is using this folder\n";
  for (const std::vector<std::string>& second :
       {std::vector<std::string>{"--epochs", "1", "--checkpoint-dir", w.checkpoints},
        std::vector<std::string>{"--epochs", "1", "--checkpoint-dir", w.checkpoints,
                                 "--overwrite-checkpoints"},
        std::vector<std::string>{"--resume", w.checkpoints, "--epochs", "100001",
                                 "--checkpoint-dir", w.checkpoints}}) {
    std::vector<std::string> arguments = second;
    arguments.insert(arguments.end(), layers.begin(), layers.end());
    const auto refused = w.train(arguments);
    EXPECT_EQ(refused.exit_code, 1) << second[0];
    EXPECT_EQ(refused.err, busy);
  }
  EXPECT_EQ(finish_cli(running, SIGKILL).exit_code, 128 + SIGKILL);

  const std::string newest = io::list_checkpoints(w.checkpoints).front();
  const int epoch = io::read_checkpoint_state(io::read_safetensors(newest).metadata, newest).epoch;
  const auto after = w.train({"--resume", w.checkpoints, "--epochs", std::to_string(epoch + 1),
                              "--checkpoint-dir", w.checkpoints});
  EXPECT_EQ(after.exit_code, 0) << after.err;
}

// Ctrl-C without --checkpoint-dir saves into scratchnet-checkpoints/ of the working folder, under
// the same rules: that folder holding another run's checkpoints, the interrupted run saves into
// a folder of its own beside it, says so, and goes on from there.
TEST(CliRuns, AnInterruptDoesNotMixItsCheckpointWithAnotherRuns) {
  const Workspace w;
  const std::filesystem::path previous = std::filesystem::current_path();
  std::filesystem::current_path(w.folder);  // where scratchnet-checkpoints/ goes
  ASSERT_EQ(w.train({"--layers", "8:relu,3", "--epochs", "1", "--checkpoint-dir",
                     "scratchnet-checkpoints"})
                .exit_code,
            0);
  const std::vector<std::string> other_run = names_in("scratchnet-checkpoints");

  write_bytes(w.data, three_class_csv(3000));
  const std::string log = w.folder + "/log.csv";
  const testing::RunningCli running = start_cli({"train", "--data", w.data, "--layers", "64:relu,3",
                                                 "--epochs", "100000", "--quiet", "--log", log});
  while (!std::filesystem::exists(log))  // until training is under way
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const testing::CommandResult interrupted = finish_cli(running, SIGINT);
  std::filesystem::current_path(previous);
  ASSERT_EQ(interrupted.exit_code, 128 + SIGINT) << interrupted.err;

  EXPECT_EQ(names_in(w.folder + "/scratchnet-checkpoints"), other_run);
  const std::string marker = " --resume ";  // the last words of the command to go on with
  const std::size_t at = interrupted.err.rfind(marker);
  ASSERT_NE(at, std::string::npos) << interrupted.err;
  const std::string own =
      interrupted.err.substr(at + marker.size(), interrupted.err.size() - at - marker.size() - 1);
  EXPECT_TRUE(own.starts_with("scratchnet-checkpoints-")) << own;
  const std::string folder = w.folder + "/" + own;
  ASSERT_EQ(io::list_checkpoints(folder).size(), 1u);
  const std::string saved = io::list_checkpoints(folder).front();
  const int epoch = io::read_checkpoint_state(io::read_safetensors(saved).metadata, saved).epoch;
  const auto resumed =
      w.train({"--resume", folder, "--epochs", std::to_string(epoch + 1), "--json"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(nlohmann::json::parse(resumed.out)["epochs"].size(), std::size_t(epoch + 1));
}

}  // namespace
}  // namespace scratchnet
