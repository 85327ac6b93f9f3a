#pragma once
// `scratchnet info MODEL`: what a model or checkpoint file holds, as a one-screen summary for
// people (info_summary.hpp) or, with --json, one JSON object for programs.

#include "command.hpp"

namespace scratchnet::cli {

class InfoCommand final : public Command {
 public:
  explicit InfoCommand(CLI::App& parent);
  void run(std::ostream& out) override;

 private:
  std::string model_;
  bool json_ = false;
};

}  // namespace scratchnet::cli
