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

/// A fresh, empty folder under the test temporary directory.
std::string fresh_folder(const std::string& name);

/// `text` split into lines, without their line ends.
std::vector<std::string> lines(const std::string& text);

}  // namespace scratchnet::testing
