#pragma once
// scratchnet's whole command line: one CLI11 app with every subcommand registered on it. main()
// parses it and runs the chosen command; fuzz/fuzz_command_line.cpp parses it and checks the
// chosen command's flags (Command::check_flags) without running anything.

#include <CLI/CLI.hpp>

#include "command.hpp"
#include "eval_command.hpp"
#include "gradcheck_command.hpp"
#include "info_command.hpp"
#include "predict_command.hpp"
#include "train_command.hpp"
#include "xor_command.hpp"

namespace scratchnet::cli {

class CommandLine {
 public:
  /// The app, with --version, exactly one subcommand required, and every subcommand's flags.
  CommandLine();
  CommandLine(const CommandLine&) = delete;
  CommandLine& operator=(const CommandLine&) = delete;

  /// The app to parse the arguments with.
  CLI::App& app() { return app_; }

  /// The subcommand the parsed arguments chose, or nullptr before a successful parse.
  Command* chosen();

 private:
  CLI::App app_;  // first: the commands register on it
  XorCommand xor_;
  TrainCommand train_;
  EvalCommand eval_;
  PredictCommand predict_;
  InfoCommand info_;
  GradcheckCommand gradcheck_;
};

}  // namespace scratchnet::cli
