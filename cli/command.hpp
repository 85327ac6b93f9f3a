#pragma once
// What every subcommand is: it registers its flags on the command line, and when chosen, turns
// them into library calls and prints. Flag values stay text until check_flags() or run(), where
// each is converted strictly with a message that names its flag (flag_values.hpp).

#include <CLI/CLI.hpp>
#include <ostream>
#include <string>

namespace scratchnet::cli {

class Command {
 public:
  virtual ~Command() = default;

  /// Whether the command line chose this subcommand.
  bool selected() const { return command_->parsed(); }

  /// Converts and checks every flag value that can be checked without reading a file, throwing
  /// FlagError for the first bad one. Reads and writes nothing; run() begins with it.
  virtual void check_flags() const {}

  /// Runs the command, printing results to `out`. Throws FlagError for a bad flag value; any
  /// other exception is a failure of the run (exit status 1).
  virtual void run(std::ostream& out) = 0;

 protected:
  /// Registers the subcommand `name` on `parent`.
  Command(CLI::App& parent, const std::string& name, const std::string& description)
      : command_(parent.add_subcommand(name, description)) {}

  /// A flag taking a value, kept as text in `value` (whose initial text is the default).
  CLI::Option* add_value(const std::string& flag, std::string& value, const std::string& type,
                         const std::string& description) {
    auto* option = command_->add_option(flag, value, description)->type_name(type);
    if (!value.empty()) option->default_str(value);
    return option;
  }

  /// A flag without a value.
  CLI::Option* add_switch(const std::string& flag, bool& value, const std::string& description) {
    return command_->add_flag(flag, value, description)->disable_flag_override();
  }

  CLI::App* command_;
};

}  // namespace scratchnet::cli
