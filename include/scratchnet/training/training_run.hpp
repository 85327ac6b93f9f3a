#pragma once
// One training run, as every front end (the command line, a Python module, an MPI runner)
// starts it: from its settings and its rows to a trained model with its description.
//   construct   the classes and targets of the rows, the seeded validation split, the
//               standardisation (of the features, and of a regression target), the model (built
//               from settings.layers and initialised, or loaded from a model file to start from, or
//               restored from a checkpoint), the checks that the model fits the data and the loss,
//               the test rows read and checked, the loss, optimizer and schedule; a resumed run
//               restores the model, optimizer, random state, history and early stopping's memory,
//               so that it goes on bit for bit
//   fit         the Trainer's epochs, a checkpoint after each one when a folder is given; the
//               losses and metrics it reports are in the label's units
//   finish      the test metrics and the "training" metadata of description()
// Errors a setting causes are SettingError naming its key, phrased with a SettingName, so that
// each front end names the setting as its users wrote it.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "scratchnet/data/fingerprint.hpp"
#include "scratchnet/data/labelled_data.hpp"
#include "scratchnet/data/target_standardization.hpp"
#include "scratchnet/io/model_file.hpp"
#include "scratchnet/kernels/thread_pool.hpp"
#include "scratchnet/random.hpp"
#include "scratchnet/training/resumable.hpp"
#include "scratchnet/training/settings.hpp"
#include "scratchnet/training/trainer.hpp"

namespace scratchnet::training {

/// What a run starts from besides its settings, and where it writes.
struct RunInputs {
  data::RawRows rows;     // the training rows; the validation rows are split off them
  std::string data_name;  // how messages name the rows; "" for rows.path
  /// Reads the test rows, for the final test metrics (none when empty). Called once, after the
  /// training rows and the model are checked and before the first epoch, so that a bad test
  /// file costs no training.
  std::function<data::RawRows()> read_test_rows;
  std::string init;                   // a model file to start from; "" builds settings.layers
  const Resumable* resume = nullptr;  // a checkpoint to go on from (not with init); must outlive
                                      // the constructor
  std::string run_id;                 // "" for the resumed run's, or a new one
  std::string checkpoint_folder;      // where fit saves a checkpoint after every epoch; "" none
  bool replace_other_runs = false;    // the first checkpoint saved removes other runs' ones
  kernels::ThreadPool* threads = nullptr;  // for matrix products; the caller's
  bool detect_anomaly = false;             // TrainingOptions::detect_anomaly
};

/// What finish() found besides the model.
struct RunOutcome {
  /// The test rows' metrics; none without test rows, or when the model's outputs on them are
  /// not finite (then a warning says so).
  std::optional<Evaluation> test;
  std::vector<std::string> warnings;
};

/// Throws SettingError "layers" ("required: the network, e.g. --layers 128:relu,10") when
/// neither `settings` nor a model file to start from (`init`) says what network to train. A
/// front end may ask before it reads any data; TrainingRun asks again.
void require_network(const TrainSettings& settings, const std::string& init, SettingName name);

template <typename T>
class TrainingRun {
 public:
  /// Everything up to the first epoch, checked (see the top of this header). Throws
  /// SettingError for a setting (or input) at fault, DataError for rows that do not fit the
  /// task, FormatError for a model file or checkpoint that cannot be used, std::runtime_error
  /// for a model that does not fit the data ("the network has 4 outputs but the data has 3
  /// classes; end --layers with 3"), std::invalid_argument for both init and resume.
  TrainingRun(TrainSettings settings, RunInputs inputs, SettingName name = quoted_key);
  ~TrainingRun();
  TrainingRun(const TrainingRun&) = delete;
  TrainingRun& operator=(const TrainingRun&) = delete;

  /// Whether epochs remain (a resumed run may have done them all).
  bool has_epochs_left() const;

  /// Trains the remaining epochs. After each one, the epoch joins history(), then
  /// callbacks.on_epoch runs (its false stops training), then the checkpoint is saved in the
  /// checkpoint folder, if any. Throws what Trainer::fit throws (NonFiniteError).
  TrainingResult fit(const TrainingCallbacks& callbacks = {});

  /// Saves where training stands in `folder`: after epoch `epoch`, and inside the next one when
  /// `inside_epoch` is set (TrainingResult::interrupted). Returns the file's path. The first
  /// save with replace_other_runs removes the other runs' checkpoints, once this one is in place.
  std::string save_checkpoint(const std::string& folder, int epoch,
                              const std::optional<EpochProgress>& inside_epoch = std::nullopt);
  /// Whether the next save_checkpoint removes the other runs' checkpoints in its folder.
  void replace_other_runs(bool replace) { replace_other_runs_ = replace; }

  /// The test metrics, and the "training" metadata of description(): the settings, the epochs
  /// done, whether early stopping ended the run, and the test metrics.
  RunOutcome finish(const TrainingResult& result);

  const TrainSettings& settings() const { return settings_; }
  const std::string& run_id() const { return run_id_; }
  Sequential<T>& model() { return *model_; }
  /// What save_model writes beside the weights (complete once finish() has run).
  const io::ModelDescription& description() const { return description_; }
  /// The regression target's standardisation the run trains with (none: targets as they are).
  const std::optional<data::TargetStandardization>& target_scaling() const {
    return target_scaling_;
  }
  const std::vector<EpochMetrics>& history() const { return history_; }
  const std::vector<std::string>& classes() const { return classes_; }
  /// The test rows as a data set (nullptr without), and whether the training rows are images.
  const Dataset<T>* test_data() const { return test_data_.get(); }
  /// The validation rows (empty without a validation split).
  const Dataset<T>& validation_data() const { return *validation_; }
  bool trained_on_images() const { return images_; }
  /// How many training rows the "drop" strategy left out for their missing values.
  Index rows_dropped() const { return rows_dropped_; }

 private:
  std::optional<io::LoadedModel<T>> load_initial(const std::string& init,
                                                 const std::vector<Index>& sample_shape);
  void prepare_data(data::RawRows rows, const std::optional<io::LoadedModel<T>>& initial,
                    const Resumable* resume);
  void prepare_model(std::optional<io::LoadedModel<T>> initial, kernels::ThreadPool* threads);
  void prepare_test(data::RawRows rows);
  void prepare_training(const Resumable* resume, bool detect_anomaly);
  void describe(const std::vector<std::string>& feature_names, const std::string& label_name);
  // What a missing-values error adds: the setting that handles them, named as the front end does.
  std::string missing_advice() const;

  TrainSettings settings_;
  SettingName name_;
  std::string data_name_;
  std::string run_id_;
  data::DataFingerprint fingerprint_;
  Random random_;
  Task task_ = Task::multiclass;
  std::vector<std::string> classes_;
  data::MissingValues missing_;
  Index rows_dropped_ = 0;
  double pixel_scale_ = 1;
  std::optional<data::Standardization> scaling_;
  std::optional<data::TargetStandardization> target_scaling_;
  double training_target_variance_ = 0;  // of the training rows' targets, in the label's units
  Index features_ = 0;
  std::vector<Index> sample_dims_;  // the shape of a sample: [features], or an image's [C, H, W]
  bool images_ = false;
  std::unique_ptr<Dataset<T>> dataset_;
  std::unique_ptr<Subset<T>> training_, validation_;
  std::unique_ptr<Dataset<T>> test_data_;
  std::string test_path_;
  std::optional<Sequential<T>> model_;
  std::unique_ptr<Loss<T>> loss_;
  std::unique_ptr<Optimizer<T>> optimizer_;
  TrainingOptions options_;
  std::unique_ptr<Trainer<T>> trainer_;
  io::ModelDescription description_;
  std::vector<EpochMetrics> history_;
  std::string checkpoint_folder_;
  bool replace_other_runs_ = false;
};

}  // namespace scratchnet::training
