#pragma once
// `scratchnet train`: a network from a layer spec (or a model file), trained on a CSV file, an
// IDX pair or Fashion-MNIST, with checkpoints, logs, a report and a model file at the end.

#include <string>

#include "command.hpp"
#include "data_flags.hpp"
#include "training_setup.hpp"

namespace scratchnet::cli {

// What a run begins with: its settings, its identity, and the checkpoint it resumes, if any.
struct RunStart;

class TrainCommand final : public Command {
 public:
  explicit TrainCommand(CLI::App& parent);
  void check_flags() const override;
  void run(std::ostream& out) override;

 private:
  TrainSettings settings_from_flags() const;
  void check_paths() const;
  RunStart start_run() const;
  template <typename T>
  void train(std::ostream& out, RunStart& start);

  // Data
  std::string data_, labels_, test_, test_labels_, normalize_, val_split_ = "0.1";
  CsvFlags csv_;
  // Model and optimisation
  std::string layers_, loss_ = "ce", optimizer_ = "adam", lr_, momentum_ = "0";
  bool nesterov_ = false;
  std::string weight_decay_, schedule_ = "constant", step_size_, gamma_ = "0.1", warmup_ = "0",
                             clip_ = "0", batch_ = "64", epochs_ = "10", seed_ = "0",
                             patience_ = "0", dtype_ = "f32", threads_;
  bool no_shuffle_ = false;
  // Files and output
  std::string init_, out_, checkpoint_dir_, resume_, log_, report_;
  bool quiet_ = false, json_ = false, detect_anomaly_ = false, overwrite_checkpoints_ = false;
};

}  // namespace scratchnet::cli
