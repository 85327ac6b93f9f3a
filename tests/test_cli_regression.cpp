// Regression on the command line, end to end: the progress line, --json and the log show loss,
// MAE and R² for training and validation; the HTML report shows the test (or validation) MSE, MAE
// and R², a scatter plot of every test row, every setting with the values used, and when and how
// long the run trained; --resume and --init keep the target standardisation the run began with.
// (tests/interop/regression_units.py checks the numbers themselves against numpy.)
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "cli_runner.hpp"
#include "scratchnet/io/safetensors.hpp"
#include "temporary_folder.hpp"

namespace scratchnet {
namespace {

using testing::fresh_folder;
using testing::lines;
using testing::read_bytes;
using testing::run_cli;
using testing::write_bytes;

// `rows` rows of two features and a target of hundreds: y = 500 + 100 a − 50 b + offset.
std::string regression_csv(int rows, double offset = 0) {
  std::ostringstream text;
  text.precision(17);
  text << "a,b,y\n";
  for (int i = 0; i < rows; ++i) {
    const double a = (i * 37 % 100) / 25.0, b = (i * 61 % 100) / 25.0;
    text << a << "," << b << "," << 500 + 100 * a - 50 * b + offset << "\n";
  }
  return text.str();
}

struct Workspace {
  std::string folder = fresh_folder("regression");
  std::string data = folder + "/train.csv";
  std::string test = folder + "/test.csv";
  Workspace() {
    write_bytes(data, regression_csv(120));
    write_bytes(test, regression_csv(30, 3));
  }
  std::vector<std::string> train(std::vector<std::string> more) const {
    std::vector<std::string> arguments = {"train",  "--data", data,       "--label", "y",
                                          "--loss", "mse",    "--layers", "8:relu,1"};
    arguments.insert(arguments.end(), more.begin(), more.end());
    return arguments;
  }
};

std::string target_normalization(const std::string& model) {
  const auto metadata = io::read_safetensors(model).metadata;
  const auto found = metadata.find("target_normalization");
  return found == metadata.end() ? "" : found->second;
}

TEST(CliRegression, ProgressShowsLossMaeAndR2) {
  Workspace w;
  const auto trained = run_cli(w.train({"--epochs", "3", "--out", w.folder + "/m.safetensors"}));
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  const std::regex line(
      R"(epoch ([1-3])/3  loss [0-9.e+]+  mae [0-9.e+]+  r2 -?[0-9]+\.[0-9]{4}  val_loss [0-9.e+]+)"
      R"(  val_mae [0-9.e+]+  val_r2 -?[0-9]+\.[0-9]{4}  [0-9.]+s  [0-9]+ samples/s)");
  const auto shown = lines(trained.err);
  ASSERT_EQ(shown.size(), 3u) << trained.err;
  for (const std::string& text : shown)
    EXPECT_TRUE(std::regex_match(text, line)) << text;
  EXPECT_EQ(trained.err.find("accuracy"), std::string::npos);

  // --json's epochs carry the same measures, in the label's units: the loss is the MSE of
  // targets in the hundreds, far above what standardized targets would give.
  // The log keeps every run's columns in their places and adds the regression measures.
  const std::string log = w.folder + "/log.csv";
  ASSERT_EQ(run_cli(w.train({"--epochs", "3", "--quiet", "--log", log})).exit_code, 0);
  const auto logged = lines(read_bytes(log));
  ASSERT_EQ(logged.size(), 4u);
  EXPECT_EQ(logged[0],
            "epoch,loss,accuracy,val_loss,val_accuracy,seconds,samples_per_second,mae,r2,val_mae,"
            "val_r2");
  EXPECT_TRUE(
      std::regex_match(logged[3], std::regex("3,[0-9.e+]+,,[0-9.e+]+,,[^,]+,[^,]+,[0-9.e+]+,"
                                             "-?[0-9.e-]+,[0-9.e+]+,-?[0-9.e-]+")))
      << logged[3];

  const auto json = run_cli(w.train({"--epochs", "3", "--json"}));
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const auto epochs = nlohmann::json::parse(json.out)["epochs"];
  ASSERT_EQ(epochs.size(), 3u);
  for (const char* key : {"loss", "mae", "r2", "val_loss", "val_mae", "val_r2"})
    EXPECT_TRUE(epochs[0][key].is_number()) << key;
  EXPECT_TRUE(epochs[0]["accuracy"].is_null());
  EXPECT_GT(epochs[0]["loss"].get<double>(), 100);
  // R² of the training rows is 1 − MSE / their variance; it rises as the loss falls.
  EXPECT_LT(epochs[2]["loss"].get<double>(), epochs[0]["loss"].get<double>());
  EXPECT_GT(epochs[2]["r2"].get<double>(), epochs[0]["r2"].get<double>());
}

TEST(CliRegression, TheReportShowsRegressionMetricsAScatterAndEverySetting) {
  Workspace w;
  const std::string report = w.folder + "/report.html";
  const auto trained = run_cli(w.train(
      {"--epochs", "5", "--optimizer", "adamw", "--test", w.test, "--report", report, "--json"}));
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  const std::string html = read_bytes(report);
  const auto test = nlohmann::json::parse(trained.out)["test"];
  char mse[64];
  std::snprintf(mse, sizeof mse, "%.6g", test["mse"].get<double>());
  EXPECT_NE(html.find("<th>test MSE</th><td>" + std::string(mse) + "</td>"), std::string::npos)
      << mse;
  EXPECT_NE(html.find("<th>test rows</th><td>30</td>"), std::string::npos);
  EXPECT_NE(html.find("<th>test R²</th>"), std::string::npos);
  EXPECT_NE(html.find("<th>test MAE</th>"), std::string::npos);
  EXPECT_EQ(html.find("accuracy"), std::string::npos);  // no accuracy anywhere, nor a nan
  EXPECT_EQ(html.find("nan"), std::string::npos);
  const std::size_t scatter = html.find("<svg id=\"scatter-chart\"");
  ASSERT_NE(scatter, std::string::npos);
  const std::string svg = html.substr(scatter, html.find("</svg>", scatter) - scatter);
  std::size_t circles = 0;
  for (std::size_t at = svg.find("<circle"); at != std::string::npos;
       at = svg.find("<circle", at + 1))
    ++circles;
  EXPECT_EQ(circles, 30u);  // one per test row
  EXPECT_NE(svg.find("true y"), std::string::npos);
  EXPECT_NE(html.find("id=\"r2-chart\""), std::string::npos);

  // Every setting, with the values the run used where it left them to a default.
  for (const char* row :
       {"<th>layers</th><td>8:relu,1</td>", "<th>loss</th><td>mse</td>",
        "<th>optimizer</th><td>adamw</td>",
        "<th>learning rate</th><td>0.003 (the optimizer&#39;s default)</td>",
        "<th>momentum</th><td>0</td>",
        "<th>weight decay</th><td>0.01 (the optimizer&#39;s default)</td>",
        "<th>schedule</th><td>cosine</td>", "<th>batch</th><td>64</td>",
        "<th>epochs</th><td>5</td>", "<th>seed</th><td>0</td>",
        "<th>validation split</th><td>0.1</td>", "<th>dtype</th><td>f32</td>",
        "<th>normalization</th><td>standard</td>", "<th>target normalization</th><td>standard ("}) {
    EXPECT_NE(html.find(row), std::string::npos) << row;
  }
  std::smatch started;
  EXPECT_TRUE(
      std::regex_search(html, started,
                        std::regex("<th>started</th><td>20[0-9]{2}-[01][0-9]-[0-3][0-9]T[0-2][0-9]:"
                                   "[0-5][0-9]:[0-6][0-9]Z</td>")));
  EXPECT_TRUE(std::regex_search(html, std::regex("<th>training time</th><td>[0-9.]+ s</td>")));

  // Without test rows, the validation rows.
  const auto validation = run_cli(w.train({"--epochs", "2", "--report", report, "--quiet"}));
  ASSERT_EQ(validation.exit_code, 0) << validation.err;
  const std::string second = read_bytes(report);
  EXPECT_NE(second.find("<th>validation rows</th><td>12</td>"), std::string::npos);
  EXPECT_NE(second.find("Predicted against true, validation rows"), std::string::npos);
}

TEST(CliRegression, ResumeAndInitKeepTheTargetScaling) {
  Workspace w;
  const std::string whole = w.folder + "/whole.st", first = w.folder + "/first.st",
                    resumed = w.folder + "/resumed.st", checkpoints = w.folder + "/ck";
  // A constant rate, so that 2 epochs resumed to 4 are the 4 (a cosine is planned over them).
  ASSERT_EQ(run_cli(w.train({"--epochs", "4", "--schedule", "constant", "--quiet", "--out", whole}))
                .exit_code,
            0);
  ASSERT_EQ(run_cli(w.train({"--epochs", "2", "--schedule", "constant", "--quiet",
                             "--checkpoint-dir", checkpoints, "--out", first}))
                .exit_code,
            0);
  const auto again = run_cli({"train", "--resume", checkpoints, "--data", w.data, "--epochs", "4",
                              "--quiet", "--out", resumed});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const std::string scaling = target_normalization(whole);
  ASSERT_NE(scaling, "");
  EXPECT_EQ(target_normalization(first), scaling);
  EXPECT_EQ(target_normalization(resumed), scaling);
  EXPECT_EQ(run_cli({"predict", resumed, w.test}).out, run_cli({"predict", whole, w.test}).out);

  // Other targets (shifted by 1000) do not refit a model's scaling: its weights were trained on
  // it.
  const std::string shifted = w.folder + "/shifted.csv", tuned = w.folder + "/tuned.st";
  write_bytes(shifted, regression_csv(120, 1000));
  const auto init = run_cli({"train", "--data", shifted, "--label", "y", "--loss", "mse", "--init",
                             whole, "--epochs", "1", "--quiet", "--out", tuned});
  ASSERT_EQ(init.exit_code, 0) << init.err;
  EXPECT_EQ(target_normalization(tuned), scaling);

  // Turned off, there is none; and a classifier cannot ask for one.
  const std::string raw = w.folder + "/raw.st";
  ASSERT_EQ(
      run_cli(w.train({"--epochs", "1", "--quiet", "--normalize-target", "none", "--out", raw}))
          .exit_code,
      0);
  EXPECT_EQ(target_normalization(raw), "");
  const auto refused = run_cli({"train", "--data", w.data, "--label", "y", "--loss", "ce",
                                "--layers", "4", "--normalize-target", "standard"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(lines(refused.err).at(0),
            "scratchnet: error: --normalize-target: standard is for a regression loss (mse, sse), "
            "not ce");
}

}  // namespace
}  // namespace scratchnet
