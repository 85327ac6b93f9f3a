// Training that is killed at any moment, mid-save included, leaves the previous checkpoint and
// model file valid.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <random>
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
using testing::read_bytes;
using testing::run_cli;
using testing::start_cli;
using testing::two_feature_csv;
using testing::write_bytes;

// The newest checkpoint of `folder` reads whole and says what it is; throws if not.
int newest_checkpoint_epoch(const std::string& folder) {
  const std::vector<std::string> checkpoints = io::list_checkpoints(folder);
  if (checkpoints.empty()) throw std::runtime_error("no checkpoint in " + folder);
  const io::SafetensorsFile file = io::read_safetensors(checkpoints.front());
  return io::read_checkpoint_state(file.metadata, checkpoints.front()).epoch;
}

TEST(CliFaults, KillNineAtAnyMomentLeavesTheLastCheckpointAndModelValid) {
  const std::string folder = fresh_folder("kill");
  const std::string data = folder + "/data.csv", model = folder + "/model.safetensors",
                    checkpoints = folder + "/checkpoints";
  write_bytes(data, two_feature_csv(2000));
  const std::vector<std::string> train = {
      "train", "--data",           data,        "--layers",  "256:relu,2", "--quiet", "--seed",
      "3",     "--checkpoint-dir", checkpoints, "--threads", "1"};
  std::vector<std::string> first_run = train;
  first_run.insert(first_run.end(), {"--epochs", "2", "--out", model});
  const auto first = run_cli(first_run);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const std::string model_bytes = read_bytes(model);

  // Each round goes on with the run (a new run would be refused the folder of another).
  std::vector<std::string> endless = train;
  endless.insert(endless.end(), {"--resume", checkpoints, "--epochs", "100000", "--out", model});
  std::mt19937 random(/*seed=*/17);  // the moments differ from round to round, not run to run
  std::uniform_int_distribution<int> milliseconds(20, 700);
  int last_epoch = 2;
  for (int round = 0; round < 12; ++round) {
    const testing::RunningCli running = start_cli(endless);
    std::this_thread::sleep_for(std::chrono::milliseconds(milliseconds(random)));
    const testing::CommandResult killed = finish_cli(running, SIGKILL);
    ASSERT_EQ(killed.exit_code, 128 + SIGKILL) << "round " << round << ": " << killed.err;

    EXPECT_EQ(read_bytes(model), model_bytes) << "round " << round << ": the model changed";
    int epoch = 0;
    ASSERT_NO_THROW(epoch = newest_checkpoint_epoch(checkpoints)) << "round " << round;
    EXPECT_GE(epoch, last_epoch) << "round " << round;
    last_epoch = epoch;
  }

  // And what is left goes on: one more epoch from the newest checkpoint, without a warning; its
  // checkpoint clears away the temporaries that kills in mid-save left.
  const auto resumed = run_cli({"train", "--data", data, "--resume", checkpoints, "--epochs",
                                std::to_string(last_epoch + 1), "--quiet", "--checkpoint-dir",
                                checkpoints, "--out", folder + "/resumed.safetensors"});
  EXPECT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(resumed.err, "");
  for (const std::string& name : testing::names_in(checkpoints))
    EXPECT_EQ(name.find("-tmp-"), std::string::npos) << name << " was left";
}

// A diverging run stops with its own status and one line naming where the NaN began, and
// leaves the model and checkpoints that were there as they were.
TEST(CliFaults, ANonFiniteLossStopsWithStatusThreeAndWritesNothing) {
  const std::string folder = fresh_folder("nan");
  const std::string data = folder + "/data.csv", model = folder + "/model.safetensors",
                    checkpoints = folder + "/checkpoints";
  write_bytes(data, two_feature_csv(500));
  const std::vector<std::string> good = {
      "train", "--data",  data,    "--layers", "16:relu,2",        "--epochs",
      "2",     "--quiet", "--out", model,      "--checkpoint-dir", checkpoints};
  ASSERT_EQ(run_cli(good).exit_code, 0);
  const std::string model_bytes = read_bytes(model);
  const std::vector<std::string> names = testing::names_in(checkpoints);

  for (const char* detect : {"--quiet", "--detect-anomaly"}) {
    std::vector<std::string> diverging = good;
    // Told it may replace the good run's checkpoints, it still removes none before it has saved.
    diverging.insert(diverging.end(),
                     {"--optimizer", "sgd", "--lr", "1e30", "--overwrite-checkpoints", detect});
    const auto result = run_cli(diverging);
    EXPECT_EQ(result.exit_code, 3) << result.err;
    EXPECT_EQ(result.err,
              "scratchnet: error: training stopped: non-finite output of layer 2 (Linear) at "
              "epoch 1, batch 2; nothing was saved\n");
    EXPECT_EQ(read_bytes(model), model_bytes);
    EXPECT_EQ(testing::names_in(checkpoints), names);
  }
}

// Ctrl-C saves where training stands and exits 130 without writing the model, and prints the
// command that goes on; that command, pasted into a shell as printed, ends with the very bytes
// of a run never interrupted. SIGTERM does the same (143). The data's name has a space and a
// quote, which the printed command must quote.
TEST(CliFaults, AnInterruptSavesACheckpointToGoOnFromBitForBit) {
  for (const int signal : {SIGINT, SIGTERM}) {
    const std::string folder = fresh_folder("interrupt");
    const std::string data = folder + "/the rows' file.csv", checkpoints = folder + "/checkpoints";
    write_bytes(data, two_feature_csv(3000));
    const std::vector<std::string> train = {
        "train",  "--data", data,       "--layers", "128:relu,dropout:0.1,2",
        "--seed", "8",      "--epochs", "40",       "--quiet"};
    const auto with = [&](std::vector<std::string> extra) {
      std::vector<std::string> arguments = train;
      arguments.insert(arguments.end(), extra.begin(), extra.end());
      return arguments;
    };
    ASSERT_EQ(run_cli(with({"--out", folder + "/straight.safetensors"})).exit_code, 0);

    const testing::RunningCli running = start_cli(
        with({"--checkpoint-dir", checkpoints, "--out", folder + "/interrupted.safetensors"}));
    while (io::list_checkpoints(checkpoints).empty())  // until training is under way
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    const testing::CommandResult interrupted = finish_cli(running, signal);
    ASSERT_EQ(interrupted.exit_code, 128 + signal) << interrupted.err;
    EXPECT_NE(interrupted.err.find("scratchnet: interrupted "), std::string::npos)
        << interrupted.err;
    EXPECT_FALSE(std::filesystem::exists(folder + "/interrupted.safetensors"));
    const std::string marker = "; go on with: ";
    const std::size_t at = interrupted.err.find(marker);
    ASSERT_NE(at, std::string::npos) << interrupted.err;
    const std::string hint = testing::lines(interrupted.err.substr(at + marker.size())).front();
    // The settings are the checkpoint's: the command need not repeat them.
    EXPECT_TRUE(hint.starts_with("scratchnet train --data ")) << hint;
    EXPECT_TRUE(hint.ends_with(" --resume " + checkpoints)) << hint;
    EXPECT_EQ(hint.find("--layers"), std::string::npos) << hint;
    EXPECT_EQ(hint.find("--seed"), std::string::npos) << hint;

    const testing::CommandResult resumed = testing::run_in_shell(hint);
    ASSERT_EQ(resumed.exit_code, 0) << hint << "\n" << resumed.err;
    EXPECT_EQ(read_bytes(folder + "/interrupted.safetensors"),
              read_bytes(folder + "/straight.safetensors"))
        << "signal " << signal;
  }
}

}  // namespace
}  // namespace scratchnet
