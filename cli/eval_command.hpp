#pragma once
// `scratchnet eval MODEL DATA`: loss and accuracy with the confusion matrix (classification), or
// MSE, MAE and R² (regression), of a model file on labelled data.

#include "command.hpp"
#include "data_flags.hpp"
#include "model_flags.hpp"

namespace scratchnet::cli {

class EvalCommand final : public Command {
 public:
  explicit EvalCommand(CLI::App& parent);
  void check_flags() const override;
  void run(std::ostream& out) override;

 private:
  std::string model_, data_, labels_;
  CsvFlags csv_;
  ModelFlags model_flags_;
  bool json_ = false;
};

}  // namespace scratchnet::cli
