#pragma once
// `scratchnet predict MODEL DATA`: CSV with a header `prediction,<class name>…` and, per row,
// the predicted class and each class's probability (regression: the predicted value). A label
// column in DATA is optional and ignored. A row whose outputs are not finite is an error naming
// it, or with --allow-nonfinite is written as nan (its prediction left empty) and counted.

#include "command.hpp"
#include "data_flags.hpp"
#include "model_flags.hpp"

namespace scratchnet::cli {

class PredictCommand final : public Command {
 public:
  explicit PredictCommand(CLI::App& parent);
  void check_flags() const override;
  void run(std::ostream& out) override;

 private:
  void check_paths() const;

  std::string model_, data_, out_;
  bool allow_nonfinite_ = false;
  CsvFlags csv_;
  ModelFlags model_flags_;
};

}  // namespace scratchnet::cli
