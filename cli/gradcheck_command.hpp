#pragma once
// `scratchnet gradcheck --layers SPEC`: the finite-difference check on a network the user
// describes, printing the worst relative error per tensor.

#include "command.hpp"

namespace scratchnet::cli {

class GradcheckCommand final : public Command {
 public:
  explicit GradcheckCommand(CLI::App& parent);
  void run(std::ostream& out) override;

 private:
  std::string layers_, loss_ = "ce", inputs_ = "4", batch_ = "4", seed_ = "0";
};

}  // namespace scratchnet::cli
