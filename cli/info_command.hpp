#pragma once
// `scratchnet info MODEL`: what a model or checkpoint file holds: architecture, parameter
// count, tensors, classes, preprocessing and training metadata.

#include "command.hpp"

namespace scratchnet::cli {

class InfoCommand final : public Command {
 public:
  explicit InfoCommand(CLI::App& parent);
  void run(std::ostream& out) override;

 private:
  std::string model_;
};

}  // namespace scratchnet::cli
