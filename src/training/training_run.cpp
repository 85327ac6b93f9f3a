#include "scratchnet/training/training_run.hpp"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "scratchnet/init/initializer.hpp"
#include "scratchnet/io/checkpoint.hpp"
#include "scratchnet/io/model_inputs.hpp"
#include "scratchnet/model/layer_spec.hpp"
#include "scratchnet/training/evaluation_json.hpp"
#include "scratchnet/training/factories.hpp"
#include "scratchnet/training/history.hpp"
#include "scratchnet/training/label_units.hpp"
#include "scratchnet/training/setting_error.hpp"

namespace scratchnet::training {
namespace {

// Standardisation fitted on the training rows only (a table's features read in place, unless
// they are pixels to scale first).
data::Standardization fit_on_rows(const data::RawRows& data, const std::vector<Index>& rows,
                                  double pixel_scale) {
  if (data.table && pixel_scale == 1) return data::Standardization::fit(data.table->features, rows);
  if (data.table) return data::Standardization::fit(data.table->features / pixel_scale, rows);
  return data::Standardization::fit(data::features_of(data), rows);
}

// The scaling a run applies: the one it began with, the one of the model it starts from, or,
// when its settings ask (CSV rows do by default), one fitted on its training rows.
template <typename T>
std::optional<data::Standardization> scaling_for(const TrainSettings& settings,
                                                 const data::RawRows& rows,
                                                 const std::vector<Index>& training_rows,
                                                 double pixel_scale,
                                                 const std::optional<io::LoadedModel<T>>& initial,
                                                 const Resumable* resume) {
  const std::string normalize =
      !settings.normalize.empty() ? settings.normalize : (rows.table ? "standard" : "none");
  if (resume && !resume->description.mean.empty()) {
    return data::Standardization{resume->description.mean, resume->description.scale};
  }
  if (initial && initial->has_metadata && !initial->description.mean.empty()) {
    return data::Standardization{initial->description.mean, initial->description.scale};
  }
  if (!resume && normalize == "standard") return fit_on_rows(rows, training_rows, pixel_scale);
  return std::nullopt;
}

// The population variance of the first column of `values` over `rows` (0 for none): what an
// epoch's mean squared error is measured against for its R².
double variance(const Matrix<double>& values, const std::vector<Index>& rows) {
  if (rows.empty() || values.cols() == 0) return 0;
  double sum = 0, squares = 0;
  for (const Index row : rows)
    sum += values(row, 0);
  const double mean = sum / double(rows.size());
  for (const Index row : rows)
    squares += (values(row, 0) - mean) * (values(row, 0) - mean);
  return squares / double(rows.size());
}

// The target scaling a regression run applies: the one it began with, the one of the model it
// starts from (a scratchnet model file says whether it has one), or, when its settings ask (mse
// does by default), one fitted on its training rows.
template <typename T>
std::optional<data::TargetStandardization> target_scaling_for(
    const TrainSettings& settings, Task task, const Matrix<double>& targets,
    const std::vector<Index>& training_rows, const std::optional<io::LoadedModel<T>>& initial,
    const Resumable* resume) {
  if (task != Task::regression) return std::nullopt;
  if (resume) return resume->description.target;
  if (initial && initial->has_metadata) return initial->description.target;
  const std::string normalize = !settings.normalize_target.empty() ? settings.normalize_target
                                : settings.loss == "mse"           ? "standard"
                                                                   : "none";
  if (normalize != "standard" || training_rows.empty()) return std::nullopt;
  return data::TargetStandardization::fit(targets, training_rows);
}

}  // namespace

template <typename T>
std::string TrainingRun<T>::missing_advice() const {
  return "; " + name_("missing") + " drop, mean or median handles them";
}

void require_network(const TrainSettings& settings, const std::string& init, SettingName name) {
  if (settings.layers.empty() && init.empty()) {
    throw SettingError("layers", "required: the network, e.g. " + name("layers") + " 128:relu,10");
  }
}

template <typename T>
TrainingRun<T>::TrainingRun(TrainSettings settings, RunInputs inputs, SettingName name)
    : settings_(std::move(settings)),
      name_(name),
      data_name_(inputs.data_name.empty() ? inputs.rows.path : inputs.data_name),
      random_(settings_.seed),
      checkpoint_folder_(std::move(inputs.checkpoint_folder)),
      replace_other_runs_(inputs.replace_other_runs) {
  const Resumable* resume = inputs.resume;
  if (resume && !inputs.init.empty()) {
    throw std::invalid_argument("a run resumes a checkpoint or starts from a model file, not both");
  }
  require_network(settings_, inputs.init, name_);
  run_id_ = !inputs.run_id.empty() ? inputs.run_id
            : resume               ? resume->state.run_id
                                   : io::new_run_id();
  fingerprint_ = data::fingerprint_of(inputs.rows);
  if (resume) require_same_data(*resume, fingerprint_);
  task_ = task_of_loss(settings_.loss);
  std::optional<io::LoadedModel<T>> initial =
      load_initial(inputs.init, inputs.rows.sample_shape().dims());
  prepare_data(std::move(inputs.rows), initial, resume);
  prepare_model(std::move(initial), inputs.threads);
  if (inputs.read_test_rows) prepare_test(inputs.read_test_rows());
  prepare_training(resume, inputs.detect_anomaly);
}

template <typename T>
TrainingRun<T>::~TrainingRun() = default;

template <typename T>
std::optional<io::LoadedModel<T>> TrainingRun<T>::load_initial(
    const std::string& init, const std::vector<Index>& sample_shape) {
  if (init.empty()) return std::nullopt;
  // A torch state_dict does not say its images' shape: the data's is theirs.
  io::LoadedModel<T> initial = io::load_model<T>(init, settings_.layers, sample_shape);
  const std::string problem =
      io::loss_fit_problem(settings_.loss, initial.network.outputs(), /*classes=*/0);
  if (!problem.empty()) throw SettingError("loss", init + ": " + problem);
  if (settings_.layers.empty()) settings_.layers = initial.description.spec;
  // The spec the flags checked may have come from the file: the same check for the file's.
  if (const std::string twice = final_activation_problem(settings_.layers, settings_.loss);
      !twice.empty())
    throw SettingError("init", "the network of " + init + " " + twice);
  return initial;
}

// The classes and targets, the split, the scaling and the data sets over the rows.
template <typename T>
void TrainingRun<T>::prepare_data(data::RawRows rows,
                                  const std::optional<io::LoadedModel<T>>& initial,
                                  const Resumable* resume) {
  // A model to start from takes its features in its own order: a file's columns go by name.
  if (initial && initial->has_metadata && rows.table && rows.table->has_header &&
      io::has_feature_names(initial->description)) {
    data::select_feature_columns(*rows.table, initial->description.feature_names, data_name_);
  }
  // Rows with missing values are refused or dropped before anything counts the rows; their
  // gaps are filled only after the split, with values fitted on the training rows alone.
  const auto strategy = data::missing_strategy_named(settings_.missing).value();
  const bool fills =
      strategy == data::MissingStrategy::mean || strategy == data::MissingStrategy::median;
  if (rows.table && !fills) {
    rows_dropped_ =
        data::MissingValues{strategy, {}}.resolve(*rows.table, data_name_, missing_advice());
  }
  if (resume) {
    classes_ = resume->description.classes;
  } else if (initial && initial->has_metadata) {
    classes_ = initial->description.classes;
  } else if (task_ != Task::regression) {
    classes_ = data::classes_of(rows);
  }
  Matrix<double> targets = data::targets_of(rows, task_, classes_);
  auto [training_rows, validation_rows] = split_rows(rows.rows(), settings_.val_split, random_);
  missing_ = data::MissingValues{strategy, {}};
  if (resume) {
    missing_ = resume->description.missing;
  } else if (fills && initial && initial->has_metadata &&
             !initial->description.missing.fill.empty()) {
    missing_ = {strategy, initial->description.missing.fill};
  } else if (fills && rows.table) {
    missing_ = data::MissingValues::fit(strategy, rows.table->features, training_rows,
                                        rows.table->feature_names, data_name_);
  }
  if (rows.table && fills) missing_.resolve(*rows.table, data_name_, missing_advice());
  target_scaling_ = target_scaling_for(settings_, task_, targets, training_rows, initial, resume);
  training_target_variance_ = task_ == Task::regression ? variance(targets, training_rows) : 0;
  if (target_scaling_) target_scaling_->apply(targets);
  images_ = rows.images.has_value();
  pixel_scale_ = images_                            ? data::kImagePixelScale
                 : resume                           ? resume->description.pixel_scale
                 : initial && initial->has_metadata ? initial->description.pixel_scale
                                                    : 1.0;
  scaling_ = scaling_for(settings_, rows, training_rows, pixel_scale_, initial, resume);
  features_ = rows.features();
  sample_dims_ = rows.sample_shape().dims();
  std::vector<std::string> feature_names =
      rows.table ? rows.table->feature_names : std::vector<std::string>{};
  const std::string label_name = rows.table ? rows.table->label_name : "label";
  if (resume) description_ = resume->description;
  describe(feature_names, label_name);
  dataset_ = data::make_dataset<T>(std::move(rows), targets, scaling_ ? &*scaling_ : nullptr,
                                   pixel_scale_);
  training_ = std::make_unique<Subset<T>>(*dataset_, std::move(training_rows));
  validation_ = std::make_unique<Subset<T>>(*dataset_, std::move(validation_rows));
}

template <typename T>
void TrainingRun<T>::describe(const std::vector<std::string>& feature_names,
                              const std::string& label_name) {
  description_.spec = format_layer_spec(parse_layer_spec(settings_.layers));
  description_.inputs = features_;
  description_.loss = settings_.loss;
  description_.classes = classes_;
  description_.pixel_scale = pixel_scale_;
  description_.missing = missing_;
  description_.mean = scaling_ ? scaling_->mean : std::vector<double>{};
  description_.scale = scaling_ ? scaling_->scale : std::vector<double>{};
  description_.target = target_scaling_;
  description_.feature_names = feature_names;
  description_.label_name = label_name;
}

// The model to train, checked against the data: its inputs, and its outputs against the task.
template <typename T>
void TrainingRun<T>::prepare_model(std::optional<io::LoadedModel<T>> initial,
                                   kernels::ThreadPool* threads) {
  if (initial) {
    model_.emplace(std::move(initial->network));
  } else {
    // A network of dense layers takes an image as a flat row; one with convolutions, pools or
    // a flatten takes the data's shape, which the model file keeps.
    const std::vector<SpecEntry> entries = parse_layer_spec(settings_.layers);
    try {
      model_.emplace(build_model<T>(entries, model_input_shape(entries, Shape(sample_dims_))));
    } catch (const SpecError& error) {  // an entry that cannot take the data's samples
      throw SettingError("layers", error.what());
    }
    initialize(*model_, Initializer::torch_default, random_);
  }
  model_->use_threads(threads);
  if (model_->inputs() != features_) {
    throw std::runtime_error("the model takes " + std::to_string(model_->inputs()) +
                             " features but " + data_name_ + " has " + std::to_string(features_));
  }
  const Index expected_outputs = task_ == Task::multiclass ? Index(classes_.size()) : 1;
  if (model_->outputs() != expected_outputs) {
    throw std::runtime_error(
        "the network has " + std::to_string(model_->outputs()) + " outputs but " +
        (task_ == Task::multiclass ? "the data has " + std::to_string(classes_.size()) + " classes"
                                   : std::string("this loss needs 1")) +
        "; end " + name_("layers") + " with " + std::to_string(expected_outputs));
  }
}

// The test rows checked (features, classes, labels) before the first epoch.
template <typename T>
void TrainingRun<T>::prepare_test(data::RawRows rows) {
  if (rows.features() != features_) {
    throw std::runtime_error(rows.path + " has " + std::to_string(rows.features()) +
                             " features, the training data " + std::to_string(features_));
  }
  if (rows.table && rows.table->has_header && io::has_feature_names(description_))
    data::select_feature_columns(*rows.table, description_.feature_names, rows.path);
  if (rows.table) missing_.resolve(*rows.table, rows.path, missing_advice());
  Matrix<double> targets = data::targets_of(rows, task_, classes_);
  if (target_scaling_) target_scaling_->apply(targets);
  test_path_ = rows.path;
  test_data_ = data::make_dataset<T>(std::move(rows), targets, scaling_ ? &*scaling_ : nullptr,
                                     pixel_scale_);
}

// The loss, optimizer and schedule, and a resumed run's state restored into them.
template <typename T>
void TrainingRun<T>::prepare_training(const Resumable* resume, bool detect_anomaly) {
  loss_ = make_loss<T>(settings_.loss);
  optimizer_ = make_optimizer<T>(settings_);
  const std::int64_t steps_per_epoch = (training_->size() + settings_.batch - 1) / settings_.batch;
  options_.batch_size = settings_.batch;
  options_.epochs = settings_.epochs;
  options_.shuffle = settings_.shuffle;
  options_.patience = settings_.patience;
  options_.clip_norm = settings_.clip;
  options_.dropout_seed = settings_.seed;
  options_.schedule = make_schedule(settings_, optimizer_->learning_rate(), steps_per_epoch);
  options_.detect_anomaly = detect_anomaly;
  BestEpoch best_epoch;
  std::vector<T> best_weights;
  if (resume) {
    const io::CheckpointState state = io::load_checkpoint<T>(
        resume->file, resume->path, *model_, *optimizer_, description_, &best_weights);
    random_.restore(state.random_state);
    options_.first_epoch = state.epoch + 1;
    options_.resume_from = state.inside_epoch;
    best_epoch = state.best_epoch;
    history_ = resume->history;
  }
  trainer_ = std::make_unique<Trainer<T>>(*model_, *loss_, *optimizer_, options_);
  // Early stopping goes on with what it knew, so that a resumed run stops where it would have.
  if (resume) trainer_->resume_early_stopping(best_epoch, std::move(best_weights));
}

template <typename T>
bool TrainingRun<T>::has_epochs_left() const {
  return options_.first_epoch <= options_.epochs;
}

template <typename T>
TrainingResult TrainingRun<T>::fit(const TrainingCallbacks& callbacks) {
  if (!has_epochs_left()) return {};
  TrainingCallbacks run_callbacks = callbacks;
  // What the trainer measures on standardized targets, reported in the label's units.
  if (callbacks.on_batch) {
    run_callbacks.on_batch = [&](const BatchProgress& progress) {
      callbacks.on_batch(in_label_units(progress, target_scaling_));
    };
  }
  run_callbacks.on_epoch = [&](const EpochMetrics& trained) {
    EpochMetrics metrics = in_label_units(trained, target_scaling_);
    if (task_ == Task::regression && settings_.loss == "mse")
      metrics.r2 = r2_of_mean_squared_error(metrics.loss, training_target_variance_);
    history_.push_back(metrics);
    const bool go_on = !callbacks.on_epoch || callbacks.on_epoch(metrics);
    if (!checkpoint_folder_.empty()) save_checkpoint(checkpoint_folder_, metrics.epoch);
    return go_on;
  };
  return trainer_->fit(*training_, validation_->size() > 0 ? validation_.get() : nullptr, random_,
                       run_callbacks);
}

template <typename T>
std::string TrainingRun<T>::save_checkpoint(const std::string& folder, int epoch,
                                            const std::optional<EpochProgress>& inside_epoch) {
  io::CheckpointState state;
  state.run_id = run_id_;
  state.data = fingerprint_;
  state.epoch = epoch;
  state.random_state = random_.state();
  state.options_json = settings_.to_json();
  state.history_json = history_json(history_).dump();
  state.inside_epoch = inside_epoch;
  state.best_epoch = trainer_->best_epoch();
  const std::string path = io::save_checkpoint<T>(folder, *model_, *optimizer_, description_, state,
                                                  trainer_->best_weights());
  // What another run left goes only now that this run has a checkpoint in its place.
  if (replace_other_runs_) io::remove_other_runs_checkpoints(folder, run_id_);
  replace_other_runs_ = false;
  return path;
}

template <typename T>
RunOutcome TrainingRun<T>::finish(const TrainingResult& result) {
  RunOutcome outcome;
  if (test_data_) {
    Evaluation test =
        in_label_units(evaluate(*model_, *loss_, *test_data_, settings_.batch), target_scaling_);
    if (test.first_non_finite_row) {  // no argmax of NaN reported as a result
      outcome.warnings.push_back(
          test_path_ + ": row " + std::to_string(*test.first_non_finite_row + 1) +
          ": the model's output is not finite (" + std::to_string(test.non_finite_rows) + " of " +
          std::to_string(test_data_->size()) + " rows); no test metrics");
    } else {
      outcome.test = std::move(test);
    }
  }
  // The settings as used, not as given: the real learning rate rather than 0 for the default.
  const TrainSettings used =
      settings_.resolved(scaling_.has_value(), description_.target.has_value());
  nlohmann::json training = {{"settings", nlohmann::json::parse(used.to_json())},
                             {"epochs", history_.size()},
                             {"stopped_early", result.stopped_early}};
  if (outcome.test) training["test"] = evaluation_json(*outcome.test, classes_);
  description_.training_json = training.dump();
  return outcome;
}

template class TrainingRun<float>;
template class TrainingRun<double>;

}  // namespace scratchnet::training
