#include "cli_runner.hpp"

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
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

// Runs `command` with /bin/sh and no standard input, catching its standard output and error.
CommandResult run_caught(const std::string& command) {
  const std::string base = unique_name("cli");
  const std::string caught =
      command + " </dev/null >" + shell_quoted(base + ".out") + " 2>" + shell_quoted(base + ".err");
  const int status = std::system(caught.c_str());
  CommandResult result{WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_bytes(base + ".out"),
                       read_bytes(base + ".err")};
  std::remove((base + ".out").c_str());
  std::remove((base + ".err").c_str());
  return result;
}

}  // namespace

CommandResult run_cli(const std::vector<std::string>& arguments) {
  std::string command = shell_quoted(SCRATCHNET_CLI_PATH);
  for (const auto& argument : arguments) {
    command += ' ';
    command += shell_quoted(argument);
  }
  return run_caught(command);
}

CommandResult run_in_shell(const std::string& command_line) {
  const std::string folder = std::filesystem::path(SCRATCHNET_CLI_PATH).parent_path().string();
  // In braces, so that the redirections apply to the whole line however it ends.
  std::string line = "PATH=";
  line.append(shell_quoted(folder)).append(":\"$PATH\"; export PATH; { ");
  line.append(command_line).append("\n}");
  return run_caught(line);
}

RunningCli start_cli(const std::vector<std::string>& arguments) {
  const std::string base = unique_name("cli");
  RunningCli running{0, base + ".out", base + ".err"};
  std::vector<std::string> argv_text = {SCRATCHNET_CLI_PATH};
  argv_text.insert(argv_text.end(), arguments.begin(), arguments.end());
  std::vector<char*> argv;
  for (std::string& argument : argv_text)
    argv.push_back(argument.data());
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {  // the child: only async-signal-safe calls from here to exec
    const int in = ::open("/dev/null", O_RDONLY);
    const int out = ::open(running.out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open(running.err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0 || ::dup2(in, 0) < 0 || ::dup2(out, 1) < 0 ||
        ::dup2(err, 2) < 0) {
      ::_exit(127);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  if (pid < 0) ADD_FAILURE() << "fork failed";
  running.pid = pid;
  return running;
}

CommandResult finish_cli(const RunningCli& running, int signal) {
  if (signal != 0) ::kill(running.pid, signal);
  int status = 0;
  while (::waitpid(running.pid, &status, 0) < 0 && errno == EINTR) {
  }
  const int code =
      WIFEXITED(status) ? WEXITSTATUS(status) : (WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1);
  CommandResult result{code, read_bytes(running.out_path), read_bytes(running.err_path)};
  std::remove(running.out_path.c_str());
  std::remove(running.err_path.c_str());
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

std::string two_feature_csv(int rows) {
  std::ostringstream text;
  text << "a,b,label\n";
  for (int i = 0; i < rows; ++i) {
    const double a = (i * 37 % 100) / 10.0, b = (i * 61 % 100) / 10.0;
    text << a << "," << b << "," << (a > b ? "high" : "low") << "\n";
  }
  return text.str();
}

}  // namespace scratchnet::testing
