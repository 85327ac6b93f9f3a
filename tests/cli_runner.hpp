#pragma once
// Running the scratchnet binary from a test, as a user would: arguments in, exit status,
// standard output and standard error out. The binary's path comes from CMake
// (SCRATCHNET_CLI_PATH).

#include <string>
#include <vector>

namespace scratchnet::testing {

struct CommandResult {
  int exit_code;
  std::string out;
  std::string err;
};

/// Runs scratchnet with `arguments` (no shell: each is passed as it is) and no standard input.
CommandResult run_cli(const std::vector<std::string>& arguments);

/// Runs `command_line` with /bin/sh, as a user would paste it, with the scratchnet under test
/// first on PATH (so that "scratchnet train ..." runs it) and no standard input.
CommandResult run_in_shell(const std::string& command_line);

/// scratchnet started in the background, as run_cli would run it.
struct RunningCli {
  int pid;
  std::string out_path, err_path;
};

/// Starts scratchnet with `arguments` and returns at once.
RunningCli start_cli(const std::vector<std::string>& arguments);

/// Sends `signal` to a started scratchnet (none when 0), waits for it to end and returns what
/// it did; exit_code is 128 + the signal's number when a signal ended it.
CommandResult finish_cli(const RunningCli& running, int signal = 0);

/// A fresh, empty folder under the test temporary directory.
std::string fresh_folder(const std::string& name);

/// `text` split into lines, without their line ends.
std::vector<std::string> lines(const std::string& text);

/// A CSV file of `rows` rows: two numeric features a, b and the label "high" when a > b, else
/// "low" (a header first).
std::string two_feature_csv(int rows);

}  // namespace scratchnet::testing
