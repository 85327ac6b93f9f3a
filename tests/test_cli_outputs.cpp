// Outputs through the real binary: `train` and `predict` write only to a new path or a regular
// file they may write, never over one of their inputs or over another output, and they refuse
// before any work, with one line, leaving every file (devices included) as it was.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "cli_runner.hpp"
#include "temporary_folder.hpp"

namespace scratchnet {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::fresh_folder;
using testing::read_bytes;
using testing::run_cli;
using testing::two_feature_csv;
using testing::write_bytes;

mode_t mode_of(const std::string& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode;
}

struct Workspace {
  std::string folder;
  std::string data, data_bytes, checkpoints;

  explicit Workspace(const std::string& name)
      : folder(fresh_folder(name)),
        data(folder + "/data.csv"),
        data_bytes(two_feature_csv(200)),
        checkpoints(folder + "/checkpoints") {
    write_bytes(data, data_bytes);
  }

  // `train` on the data with `more` flags, and a checkpoint folder that only a run that did
  // some work would make.
  CommandResult train(std::vector<std::string> more) const {
    std::vector<std::string> arguments = {
        "train", "--data",  data,     "--layers", "4:relu,2",         "--epochs",
        "2",     "--quiet", "--seed", "1",        "--checkpoint-dir", checkpoints};
    arguments.insert(arguments.end(), more.begin(), more.end());
    return run_cli(arguments);
  }

  // A model trained on the data, for predict.
  std::string model() const {
    const std::string path = folder + "/model.safetensors";
    const CommandResult trained = run_cli({"train", "--data", data, "--layers", "4:relu,2",
                                           "--epochs", "1", "--quiet", "--out", path});
    EXPECT_EQ(trained.exit_code, 0) << trained.err;
    return path;
  }
};

// A refusal: exit status 1, exactly one line naming the file and what it is, nothing done.
void expect_refused_file(const CommandResult& result, const std::string& message) {
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_EQ(result.err, "scratchnet: error: " + message + "\n");
  EXPECT_EQ(result.out, "");
}

// A refusal of a command line that names one file twice: exit status 2, the line naming both
// flags and paths, then the usual pointer to --help.
void expect_refused_flags(const CommandResult& result, const std::string& command,
                          const std::string& message) {
  EXPECT_EQ(result.exit_code, 2) << result.err;
  EXPECT_EQ(result.err, "scratchnet: error: " + message + "\nRun 'scratchnet " + command +
                            " --help' for usage.\n");
  EXPECT_EQ(result.out, "");
}

TEST(CliOutputs, RefusesDevicesAsEveryOutputAndLeavesThemDevices) {
  const Workspace w("outputs-devices");
  for (const char* flag : {"--out", "--log", "--report"}) {
    for (const std::string device : {"/dev/null", "/dev/full"}) {
      expect_refused_file(w.train({flag, device}),
                          device + ": cannot write: a character device, not a regular file");
      EXPECT_TRUE(S_ISCHR(mode_of(device))) << flag << " " << device;
    }
  }
  // A character device made with mknod, where the process may make one (root may).
  const std::string made = w.folder + "/null";
  if (::mknod(made.c_str(), S_IFCHR | 0666, makedev(1, 3)) == 0) {
    expect_refused_file(w.train({"--out", made}),
                        made + ": cannot write: a character device, not a regular file");
    EXPECT_TRUE(S_ISCHR(mode_of(made)));
  }
  EXPECT_FALSE(fs::exists(w.checkpoints)) << "a refused run trained";

  const std::string model = w.model();
  expect_refused_file(run_cli({"predict", model, w.data, "--out", "/dev/null"}),
                      "/dev/null: cannot write: a character device, not a regular file");
  EXPECT_TRUE(S_ISCHR(mode_of("/dev/null")));
}

TEST(CliOutputs, RefusesAFifoAFolderAndAFileAsTheCheckpointFolder) {
  const Workspace w("outputs-kinds");
  const std::string fifo = w.folder + "/log.csv";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0666), 0);
  expect_refused_file(w.train({"--log", fifo}),
                      fifo + ": cannot write: a FIFO, not a regular file");
  EXPECT_TRUE(S_ISFIFO(mode_of(fifo)));
  expect_refused_file(w.train({"--report", w.folder}),
                      w.folder + ": cannot write: a folder, not a regular file");
  EXPECT_FALSE(fs::exists(w.checkpoints));
  expect_refused_file(
      run_cli({"train", "--data", w.data, "--layers", "2", "--quiet", "--checkpoint-dir", w.data}),
      w.data + ": cannot write: a regular file, not a folder");
  EXPECT_EQ(read_bytes(w.data), w.data_bytes);
}

TEST(CliOutputs, RefusesAReadOnlyFileAndKeepsAReplacedFilesMode) {
  const Workspace w("outputs-modes");
  const std::string locked = w.folder + "/locked.safetensors";
  write_bytes(locked, "precious");
  ASSERT_EQ(::chmod(locked.c_str(), 0444), 0);
  expect_refused_file(w.train({"--out", locked}), locked + ": cannot write: read-only (mode 0444)");
  EXPECT_EQ(read_bytes(locked), "precious");
  EXPECT_FALSE(fs::exists(w.checkpoints));

  // A private file stays private, with its group (root can keep any group).
  const std::string secret = w.folder + "/secret.safetensors", log = w.folder + "/log.csv";
  write_bytes(secret, "old");
  write_bytes(log, "old");
  ASSERT_EQ(::chmod(secret.c_str(), 0600), 0);
  ASSERT_EQ(::chmod(log.c_str(), 0640), 0);
  const bool root = ::geteuid() == 0;
  if (root) {
    ASSERT_EQ(::chown(log.c_str(), 0, 65534), 0);
  }
  const CommandResult trained = w.train({"--out", secret, "--log", log});
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  EXPECT_NE(read_bytes(secret), "old");
  EXPECT_EQ(read_bytes(log).substr(0, 6), "epoch,");
  EXPECT_EQ(mode_of(secret) & 07777, 0600u);
  EXPECT_EQ(mode_of(log) & 07777, 0640u);
  struct stat info {};
  ASSERT_EQ(::stat(log.c_str(), &info), 0);
  if (root) {
    EXPECT_EQ(info.st_gid, 65534u);
  }
}

TEST(CliOutputs, RefusesAnOutputThatIsTheTrainingData) {
  const Workspace w("outputs-data");
  expect_refused_flags(w.train({"--out", w.data}), "train",
                       "--out: " + w.data + " is the same file as --data " + w.data);
  // Through a symbolic link, or a hard link: the same device and inode.
  const std::string soft = w.folder + "/soft.csv", hard = w.folder + "/hard.csv";
  fs::create_symlink(w.data, soft);
  fs::create_hard_link(w.data, hard);
  expect_refused_flags(w.train({"--log", soft}), "train",
                       "--log: " + soft + " is the same file as --data " + w.data);
  expect_refused_flags(w.train({"--report", hard}), "train",
                       "--report: " + hard + " is the same file as --data " + w.data);
  // The test data and an --init model are inputs too.
  const std::string test = w.folder + "/test.csv";
  write_bytes(test, w.data_bytes);
  expect_refused_flags(w.train({"--test", test, "--out", test}), "train",
                       "--out: " + test + " is the same file as --test " + test);
  EXPECT_EQ(read_bytes(w.data), w.data_bytes);
  EXPECT_EQ(read_bytes(test), w.data_bytes);
  EXPECT_FALSE(fs::exists(w.checkpoints)) << "a refused run trained";
}

TEST(CliOutputs, RefusesTwoOutputsThatAreOneFile) {
  const Workspace w("outputs-twice");
  const std::string both = w.folder + "/run.out";
  expect_refused_flags(w.train({"--out", both, "--report", both}), "train",
                       "--report: " + both + " is the same file as --out " + both);
  expect_refused_flags(w.train({"--log", both, "--out", w.folder + "/./run.out"}), "train",
                       "--log: " + both + " is the same file as --out " + w.folder + "/./run.out");
  EXPECT_FALSE(fs::exists(both));
  // The checkpoint folder is an output as well.
  expect_refused_flags(
      w.train({"--out", w.checkpoints}), "train",
      "--checkpoint-dir: " + w.checkpoints + " is the same file as --out " + w.checkpoints);
  EXPECT_FALSE(fs::exists(w.checkpoints));
}

// A checkpoint in the checkpoint folder may be replaced or pruned by the run, so no input but
// --resume may be one, and no other output either.
TEST(CliOutputs, RefusesAnInputThatTheCheckpointsWouldReplace) {
  const Workspace w("outputs-checkpoints");
  fs::create_directory(w.checkpoints);
  const std::string checkpoint = w.checkpoints + "/checkpoint-epoch-0002.safetensors";
  write_bytes(checkpoint, "a checkpoint");
  expect_refused_flags(
      w.train({"--init", checkpoint}), "train",
      "--checkpoint-dir: " + checkpoint + " is the same file as --init " + checkpoint);
  expect_refused_flags(
      w.train({"--out", checkpoint}), "train",
      "--checkpoint-dir: " + checkpoint + " is the same file as --out " + checkpoint);
  EXPECT_EQ(read_bytes(checkpoint), "a checkpoint");
  // --resume reads the checkpoints of a folder, which no other output may then overwrite.
  expect_refused_flags(
      run_cli({"train", "--data", w.data, "--resume", w.checkpoints, "--out", checkpoint}), "train",
      "--out: " + checkpoint + " is the same file as --resume " + checkpoint);
  EXPECT_EQ(read_bytes(checkpoint), "a checkpoint");
}

TEST(CliOutputs, PredictRefusesToWriteOverItsModelOrData) {
  const Workspace w("outputs-predict");
  const std::string model = w.model();
  const std::string model_bytes = read_bytes(model);
  expect_refused_flags(run_cli({"predict", model, w.data, "--out", w.data}), "predict",
                       "--out: " + w.data + " is the same file as DATA " + w.data);
  const std::string link = w.folder + "/link.safetensors";
  fs::create_symlink(model, link);
  expect_refused_flags(run_cli({"predict", model, w.data, "--out", link}), "predict",
                       "--out: " + link + " is the same file as MODEL " + model);
  EXPECT_EQ(read_bytes(w.data), w.data_bytes);
  EXPECT_EQ(read_bytes(model), model_bytes);
  EXPECT_TRUE(fs::is_symlink(link));

  // And a fine --out is written, once.
  const std::string out = w.folder + "/predictions.csv";
  const CommandResult predicted = run_cli({"predict", model, w.data, "--out", out});
  ASSERT_EQ(predicted.exit_code, 0) << predicted.err;
  EXPECT_EQ(read_bytes(out).substr(0, 20), "prediction,high,low\n");
}

// An editor's temporary beside the outputs is not scratchnet's to clean up.
TEST(CliOutputs, CheckpointsLeaveForeignTemporariesAlone) {
  const Workspace w("outputs-foreign");
  fs::create_directory(w.checkpoints);
  const std::string notes = w.checkpoints + "/.notes.tmp-999998-1";
  write_bytes(notes, "my notes");
  const CommandResult trained = w.train({});
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  EXPECT_EQ(read_bytes(notes), "my notes");
  EXPECT_TRUE(fs::exists(w.checkpoints + "/checkpoint-epoch-0002.safetensors"));
}

}  // namespace
}  // namespace scratchnet
