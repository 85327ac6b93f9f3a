#pragma once
// `scratchnet xor`: Stage 1, the seed notebook's XOR network, printed as the notebook prints it.

#include <ostream>
#include <string>

#include "command.hpp"
#include "scratchnet/xor.hpp"

namespace scratchnet::cli {

class XorCommand final : public Command {
 public:
  /// Registers the `xor` subcommand and its flags on `parent`.
  explicit XorCommand(CLI::App& parent);

  void check_flags() const override { options_from_flags(); }
  /// Converts the flags, trains and prints to `out`. Throws FlagError for a bad flag value.
  void run(std::ostream& out) override;

 private:
  XorOptions options_from_flags() const;

  std::string seed_;
  std::string iterations_ = "1500";
  std::string hidden_ = "4";
  std::string learning_rate_ = "1";
  bool json_ = false;
};

}  // namespace scratchnet::cli
