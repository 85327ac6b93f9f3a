#pragma once
// `scratchnet xor`: Stage 1, the seed notebook's XOR network, printed as the notebook prints it.

#include <CLI/CLI.hpp>
#include <ostream>
#include <string>

namespace scratchnet::cli {

class XorCommand {
 public:
  /// Registers the `xor` subcommand and its flags on `parent`.
  explicit XorCommand(CLI::App& parent);

  /// Whether the command line chose this subcommand.
  bool selected() const { return command_->parsed(); }

  /// Converts the flags, trains and prints to `out`. Throws FlagError for a bad flag value.
  void run(std::ostream& out) const;

 private:
  CLI::App* command_;
  // Values stay text until run(), where each is converted strictly with a message that names
  // its flag.
  std::string seed_;
  std::string iterations_ = "1500";
  std::string hidden_ = "4";
  std::string learning_rate_ = "1";
  bool json_ = false;
};

}  // namespace scratchnet::cli
