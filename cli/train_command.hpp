#pragma once

#include <chrono>
// `scratchnet train`: a network from a layer spec (or a model file), trained on a CSV file, an
// IDX pair or Fashion-MNIST, with checkpoints, logs, a report and a model file at the end. The
// training itself is the library's (training/training_run.hpp); the command turns its flags
// into settings, shows progress, handles Ctrl-C and writes what the flags ask for.

#include <string>

#include "command.hpp"
#include "data_flags.hpp"
#include "scratchnet/training/settings.hpp"
#include "scratchnet/training/trainer.hpp"

namespace scratchnet::training {
struct RunInputs;
struct RunOutcome;
template <typename T>
class TrainingRun;
}  // namespace scratchnet::training

namespace scratchnet::cli {

// What a run begins with: its settings, its identity, and the checkpoint it resumes, if any.
struct RunStart;
class Progress;

class TrainCommand final : public Command {
 public:
  explicit TrainCommand(CLI::App& parent);
  void check_flags() const override;
  void run(std::ostream& out) override;

 private:
  void add_data_flags();
  void add_training_flags();
  void add_file_flags();
  training::TrainSettings settings_from_flags() const;
  void check_paths() const;
  RunStart start_run() const;
  training::RunInputs run_inputs(const RunStart& start) const;
  template <typename T>
  void train(std::ostream& out, RunStart& start);
  template <typename T>
  TrainingResult fit(training::TrainingRun<T>& run, Progress& progress);
  template <typename T>
  void save_interrupted(training::TrainingRun<T>& run, const TrainingResult& result,
                        Progress& progress);
  std::string resume_command(const std::string& folder) const;
  template <typename T>
  void write_report(training::TrainingRun<T>& run, const training::RunOutcome& outcome,
                    std::chrono::system_clock::time_point started, double seconds) const;
  template <typename T>
  void print_result(std::ostream& out, const training::TrainingRun<T>& run,
                    const TrainingResult& result, const training::RunOutcome& outcome) const;

  // Data
  std::string data_, labels_, test_, test_labels_, input_shape_, normalize_, normalize_target_,
      val_split_ = "0.1";
  std::string missing_ = "error";
  CsvFlags csv_;
  // Model and optimisation
  std::string layers_, loss_ = "ce", optimizer_ = "adam", lr_, momentum_ = "0";
  bool nesterov_ = false;
  std::string weight_decay_, schedule_ = "cosine", step_size_, gamma_ = "0.1", warmup_ = "0",
                             clip_ = "0", batch_ = "64", epochs_ = "10", seed_ = "0",
                             patience_ = "0", dtype_ = "f32", threads_;
  bool no_shuffle_ = false;
  // Files and output
  std::string init_, out_, checkpoint_dir_, resume_, log_, report_;
  bool quiet_ = false, json_ = false, detect_anomaly_ = false, overwrite_checkpoints_ = false;
};

}  // namespace scratchnet::cli
