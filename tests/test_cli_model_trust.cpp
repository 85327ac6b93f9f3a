// Model files that lie, through the real binary: metadata nested 100,000 deep, control
// characters meant for the terminal, a loss that does not fit the outputs (a 3-output "bce"
// model read memory it never wrote), scales that cannot divide. Each gets one escaped line on
// standard error, exit 1 (2 when the flag is what does not fit), and nothing on standard output.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "cli_runner.hpp"
#include "scratchnet/init/initializer.hpp"
#include "scratchnet/io/model_file.hpp"
#include "scratchnet/io/safetensors.hpp"
#include "scratchnet/model/layer_spec.hpp"
#include "temporary_folder.hpp"

namespace scratchnet {
namespace {

using testing::fresh_folder;
using testing::lines;
using testing::run_cli;
using testing::write_bytes;

constexpr const char* kData = "a,b,c,label\n0.5,1,-1,x\n2,0.25,1,y\n-1,3,0.5,z\n";

// A model of `spec` on 3 inputs written to `path`, its metadata (scratchnet's, as save_model
// writes it) changed by `edit`; with `with_metadata` false, only {"format": "pt"} as torch's
// save_file writes it.
void write_model(const std::string& path, const std::string& spec,
                 const std::map<std::string, std::string>& edit, bool with_metadata = true) {
  Sequential<double> model = build_model<double>(parse_layer_spec(spec), 3);
  Random random(1);
  initialize(model, Initializer::torch_default, random);
  io::ModelDescription description;
  description.spec = spec;
  std::map<std::string, std::string> metadata{{"format", "pt"}};
  if (with_metadata) metadata = io::model_metadata(model, description);
  for (const auto& [key, value] : edit)
    metadata[key] = value;
  write_bytes(path, io::encode_safetensors(io::parameter_tensors(model), metadata));
}

// Whether `text` holds a byte a terminal would act on: a C0 control other than the line
// ends `lines` splits at, DEL, or a C1 control (U+0080 to U+009F, C2 80 to C2 9F in UTF-8).
bool holds_control_characters(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if ((c < 0x20 && c != '\n') || c == 0x7f) return true;
    if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) <= 0x9f)
      return true;
  }
  return false;
}

// The one line of standard error of a failed run, without "scratchnet: error: ".
std::string error_line(const testing::CommandResult& result) {
  const std::vector<std::string> err = lines(result.err);
  if (err.size() != 1) return "not one line: " + result.err;
  const std::string prefix = "scratchnet: error: ";
  return err[0].starts_with(prefix) ? err[0].substr(prefix.size()) : err[0];
}

std::string nested(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

TEST(CliModelTrust, DeeplyNestedMetadataIsOneLineInInfoPredictAndEval) {
  const std::string folder = fresh_folder("nested");
  const std::string model = folder + "/model.safetensors", data = folder + "/data.csv";
  write_bytes(data, kData);
  // The issue's file: 100,000 nested brackets crashed info after 9 s and 4 GB.
  write_model(model, "4:relu,3", {{"training", nested(100'000)}, {"loss", "ce"}});
  for (const std::vector<std::string>& command : std::vector<std::vector<std::string>>{
           {"info", model}, {"predict", model, data}, {"eval", model, data}}) {
    const auto result = run_cli(command);
    EXPECT_EQ(result.exit_code, 1) << command[0];
    EXPECT_EQ(result.out, "") << command[0];
    EXPECT_EQ(error_line(result), model + ": metadata 'training': nested deeper than 32 levels")
        << command[0];
  }
  write_model(model, "4:relu,3", {{"classes", nested(50'000)}});
  const auto result = run_cli({"info", model});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(error_line(result), model + ": metadata 'classes': nested deeper than 32 levels");
}

TEST(CliModelTrust, InfoShowsControlCharactersFromTheFileEscaped) {
  const std::string folder = fresh_folder("escapes");
  const std::string model = folder + "/model.safetensors";
  write_model(model, "4:relu,3",
              {{"loss", "ce"},
               {"classes", R"(["a\u001b[2Jb","c\rd","e\u0000f"])"},
               {"feature_names", R"(["x\u009b31m","y\u007f","z\t"])"},
               {"label_name",
                "lab\x1b]0;title\x07"
                "el"},
               {"training", R"({"note":"hi\u001b[31m\u009b\u007f","ok":true})"}});
  const auto result = run_cli({"info", model});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_FALSE(holds_control_characters(result.out)) << result.out;
  const std::string out = result.out;
  EXPECT_NE(out.find("classes (3): a\\x1b[2Jb, c\\rd, e\\x00f\n"), std::string::npos) << out;
  EXPECT_NE(out.find("features (3): x\\u009b31m, y\\x7f, z\\t\n"), std::string::npos) << out;
  EXPECT_NE(out.find("label: lab\\x1b]0;title\\x07el; "), std::string::npos) << out;
  EXPECT_NE(out.find("training: note hi\\x1b[31m\\u009b\\x7f, ok on\n"), std::string::npos) << out;
}

TEST(CliModelTrust, InfoOnATorchFileShowsItsTensorNamesEscaped) {
  const std::string folder = fresh_folder("torch_names");
  const std::string model = folder + "/model.safetensors";
  const std::vector<float> one{1};
  write_bytes(model, io::encode_safetensors({io::make_tensor<float>("w\x1b[2J\r", {1}, one)},
                                            {{"format", "pt"}}));
  const auto result = run_cli({"info", model});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_FALSE(holds_control_characters(result.out)) << result.out;
  EXPECT_NE(result.out.find("  w\\x1b[2J\\r  F32 [1]\n"), std::string::npos) << result.out;
}

TEST(CliModelTrust, ErrorMessagesKeepTextAfterANulAndEscapeIt) {
  const std::string folder = fresh_folder("nul");
  const std::string model = folder + "/model.safetensors", data = folder + "/data.csv";
  write_bytes(data, kData);
  write_model(model, "4:relu,3", {{"loss", std::string("ce\0\x1b[2Jhidden", 13)}});
  const auto result = run_cli({"predict", model, data});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_FALSE(holds_control_characters(result.err)) << result.err;
  EXPECT_EQ(error_line(result), model +
                                    ": metadata 'loss': unknown loss 'ce\\x00\\x1b[2Jhidden' "
                                    "(valid: ce, bce, mse, sse)");
}

TEST(CliModelTrust, EvalShowsControlCharactersInClassNamesEscaped) {
  const std::string folder = fresh_folder("eval_escapes");
  const std::string model = folder + "/model.safetensors", data = folder + "/data.csv";
  write_bytes(data, "a,b,c,label\n0.5,1,-1,x\x1b[2J\n2,0.25,1,y\n-1,3,0.5,z\n");
  write_model(model, "4:relu,3", {{"loss", "ce"}, {"classes", R"(["x\u001b[2J","y","z"])"}});
  const auto result = run_cli({"eval", model, data});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_FALSE(holds_control_characters(result.out)) << result.out;
  EXPECT_NE(result.out.find("\nx\\x1b[2J "), std::string::npos) << result.out;
}

TEST(CliModelTrust, ADataErrorKeepsTextAfterANulAndEscapesIt) {
  const std::string folder = fresh_folder("data_nul");
  const std::string data = folder + "/data.csv";
  write_bytes(data, std::string("a,b,label\n1,x\0\x1b[2Jy,p\n2,3,q\n", 28));
  const auto result = run_cli({"train", "--data", data, "--layers", "2", "--epochs", "1", "--out",
                               folder + "/model.safetensors"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_FALSE(holds_control_characters(result.err)) << result.err;
  EXPECT_EQ(error_line(result),
            data + ":2:3: feature cell 'x\\x00\\x1b[2Jy' is not a number (column 'b')");
}

TEST(CliModelTrust, AModelWhoseLossDoesNotFitItsOutputsIsRefused) {
  const std::string folder = fresh_folder("loss_outputs");
  const std::string model = folder + "/model.safetensors", data = folder + "/data.csv";
  write_bytes(data, kData);
  // The issue's file: 3 outputs, loss bce; predict printed a third "probability" read from
  // memory never written (4.64e-310, then 4.66e-310, …).
  write_model(model, "4:relu,3", {{"loss", "bce"}});
  for (const char* command : {"predict", "eval"}) {
    const auto result = run_cli({command, model, data});
    EXPECT_EQ(result.exit_code, 1) << command;
    EXPECT_EQ(result.out, "") << command;
    EXPECT_EQ(error_line(result),
              model +
                  ": metadata 'loss': bce needs exactly 1 output, but the network has 3 "
                  "outputs")
        << command;
  }
  EXPECT_EQ(error_line(run_cli({"info", model})),
            model + ": metadata 'loss': bce needs exactly 1 output, but the network has 3 outputs");
  write_model(model, "4:relu,3", {{"loss", "ce"}, {"classes", R"(["x","y"])"}});
  EXPECT_EQ(error_line(run_cli({"predict", model, data})),
            model + ": metadata 'classes': 2 names for a classifier of 3 outputs");
}

TEST(CliModelTrust, ATorchFileMustFitTheLossItIsUsedWith) {
  const std::string folder = fresh_folder("torch_loss");
  const std::string model = folder + "/model.safetensors", data = folder + "/data.csv";
  write_bytes(data, kData);
  write_model(model, "4:relu,3", {}, /*with_metadata=*/false);
  const std::string needs_one =
      "--loss: " + model + ": bce needs exactly 1 output, but the network has 3 outputs";
  for (const char* command : {"predict", "eval"}) {
    auto result = run_cli({command, model, data, "--layers", "4:relu,3", "--loss", "bce"});
    EXPECT_EQ(result.exit_code, 2) << command;
    EXPECT_EQ(result.out, "") << command;
    EXPECT_EQ(lines(result.err).at(0), "scratchnet: error: " + needs_one) << command;
    result = run_cli({command, model, data, "--layers", "4:relu,3", "--loss", "mse"});
    EXPECT_EQ(result.exit_code, 2) << command;
    EXPECT_NE(result.err.find("mse needs exactly 1 output, but the network has 3 outputs"),
              std::string::npos)
        << command << result.err;
    result = run_cli({command, model, data, "--layers", "4:relu,3"});  // ce, the default, fits
    EXPECT_EQ(result.exit_code, 0) << command << result.err;
  }
  // It trained on the first output only.
  const auto trained =
      run_cli({"train", "--data", data, "--init", model, "--layers", "4:relu,3", "--loss", "bce",
               "--epochs", "1", "--out", folder + "/out.safetensors", "--quiet"});
  EXPECT_EQ(trained.exit_code, 2);
  EXPECT_EQ(lines(trained.err).at(0), "scratchnet: error: " + needs_one);

  write_model(model, "4:relu,1", {}, /*with_metadata=*/false);
  const auto one_output = run_cli({"predict", model, data, "--layers", "4:relu,1"});
  EXPECT_EQ(one_output.exit_code, 2);
  EXPECT_EQ(lines(one_output.err).at(0),
            "scratchnet: error: --loss: " + model +
                ": ce needs at least 2 outputs (one per class), but the network has 1 output (ce "
                "is the default; give --loss)");
}

TEST(CliModelTrust, ScalesThatAreNotPositiveNormalNumbersAreRefused) {
  const std::string folder = fresh_folder("scales");
  const std::string model = folder + "/model.safetensors", data = folder + "/data.csv";
  write_bytes(data, kData);
  for (const auto& [scale, shown] :
       std::vector<std::pair<std::string, std::string>>{{"1e-320", "1e-320"}, {"-1", "-1"}}) {
    write_model(model, "4:relu,3",
                {{"normalization", R"({"mean":[0,0,0],"scale":[1,)" + scale + ",1]}"}});
    for (const char* command : {"predict", "eval"}) {
      const auto result = run_cli({command, model, data});
      EXPECT_EQ(result.exit_code, 1) << command;
      EXPECT_EQ(result.out, "");
      EXPECT_EQ(error_line(result), model + ": metadata 'normalization': feature 1 has scale " +
                                        shown + "; a scale must be a positive normal number")
          << command;
    }
  }
}

TEST(CliGradcheck, TheReportedNetworkPassesWithinTheFiniteDifferencesErrorBound) {
  // Reported FAILED at a relative error of 2.05e-7 against a fixed bar of 1e-7, though PyTorch's
  // exact gradients miss that bar too on some seeds (tools/check_gradcheck_tolerance.py).
  const auto result = run_cli({"gradcheck", "--layers", "8:gelu,8:tanh,8:sigmoid,2", "--loss", "ce",
                               "--inputs", "5", "--batch", "7", "--seed", "3"});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err;
  EXPECT_TRUE(lines(result.out).back().starts_with("passed: worst relative error ")) << result.out;
  EXPECT_NE(result.out.find(" of bound\n"), std::string::npos) << result.out;
}

}  // namespace
}  // namespace scratchnet
