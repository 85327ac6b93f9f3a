#include "cli_runner.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include <gtest/gtest.h>

#include "temporary_folder.hpp"

namespace scratchnet::testing {
namespace {

std::string shell_quoted(const std::string& argument) {
  std::string quoted = "'";
  for (char c : argument)
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// A fresh name per call, so tests may run in parallel.
std::string unique_name(const std::string& stem) {
  static int counter = 0;
  return ::testing::TempDir() + "scratchnet_" + stem + "_" + std::to_string(::getpid()) + "_" +
         std::to_string(counter++);
}

}  // namespace

CommandResult run_cli(const std::vector<std::string>& arguments) {
  const std::string base = unique_name("cli");
  std::ostringstream command;
  command << shell_quoted(SCRATCHNET_CLI_PATH);
  for (const auto& argument : arguments)
    command << " " << shell_quoted(argument);
  command << " </dev/null >" << shell_quoted(base + ".out") << " 2>" << shell_quoted(base + ".err");
  const int status = std::system(command.str().c_str());
  CommandResult result{WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_bytes(base + ".out"),
                       read_bytes(base + ".err")};
  std::remove((base + ".out").c_str());
  std::remove((base + ".err").c_str());
  return result;
}

std::string fresh_folder(const std::string& name) {
  const std::string folder = unique_name(name);
  std::filesystem::remove_all(folder);
  std::filesystem::create_directories(folder);
  return folder;
}

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> result;
  std::istringstream stream(text);
  for (std::string line; std::getline(stream, line);)
    result.push_back(line);
  return result;
}

}  // namespace scratchnet::testing
