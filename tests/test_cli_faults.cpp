// Training that is killed at any moment, mid-save included, leaves the previous checkpoint and
// model file valid.
#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
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
using testing::write_bytes;

// Two numeric features and a class decided by which is larger: enough rows that an epoch
// takes a few milliseconds, with a checkpoint after each.
std::string two_feature_csv(int rows) {
  std::ostringstream text;
  text << "a,b,label\n";
  for (int i = 0; i < rows; ++i) {
    const double a = (i * 37 % 100) / 10.0, b = (i * 61 % 100) / 10.0;
    text << a << "," << b << "," << (a > b ? "high" : "low") << "\n";
  }
  return text.str();
}

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

  std::vector<std::string> endless = train;
  endless.insert(endless.end(), {"--epochs", "100000", "--out", model});
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
    EXPECT_EQ(name.find(".tmp-"), std::string::npos) << name << " was left";
}

}  // namespace
}  // namespace scratchnet
