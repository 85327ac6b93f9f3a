#include "train_command.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <nlohmann/json.hpp>
#include <numeric>
#include <thread>

#include "evaluation_output.hpp"
#include "exit_status.hpp"
#include "flag_values.hpp"
#include "interrupt.hpp"
#include "model_flags.hpp"
#include "output_checks.hpp"
#include "progress.hpp"
#include "scratchnet/anomaly.hpp"
#include "scratchnet/data/fingerprint.hpp"
#include "scratchnet/data/labelled_data.hpp"
#include "scratchnet/init/initializer.hpp"
#include "scratchnet/io/atomic_file.hpp"
#include "scratchnet/io/checkpoint.hpp"
#include "scratchnet/io/folder_lock.hpp"
#include "scratchnet/io/html_report.hpp"
#include "scratchnet/io/model_file.hpp"
#include "scratchnet/io/shortest.hpp"
#include "scratchnet/layer_spec.hpp"
#include "training_setup.hpp"

namespace scratchnet::cli {
namespace {

// Where Ctrl-C or SIGTERM saves its checkpoint when no --checkpoint-dir was given.
constexpr const char* kInterruptedFolder = "scratchnet-checkpoints";

// `text` when it is one of `choices`, else a FlagError listing them.
std::string one_of(const std::string& flag, const std::string& text,
                   std::initializer_list<const char*> choices) {
  std::string listed;
  for (const char* choice : choices) {
    if (text == choice) return text;
    listed += listed.empty() ? choice : std::string(", ") + choice;
  }
  throw FlagError(flag, "expected one of " + listed + ", got '" + text + "'");
}

nlohmann::json epoch_json(const EpochMetrics& epoch) {
  return {{"epoch", epoch.epoch},
          {"loss", number_or_null(epoch.loss)},
          {"accuracy", number_or_null(epoch.accuracy)},
          {"val_loss", number_or_null(epoch.val_loss)},
          {"val_accuracy", number_or_null(epoch.val_accuracy)},
          {"seconds", epoch.seconds},
          {"samples_per_second", epoch.samples_per_second}};
}

// The per-epoch metrics of a checkpoint's metadata "history", checked: a JSON array of the
// `epochs` epochs done, in order, each an object of epoch_json()'s keys with numbers or null.
std::vector<EpochMetrics> history_from_json(const std::string& text, int epochs,
                                            const std::string& path) {
  const auto bad = [&](const std::string& problem) {
    throw io::FormatError(path + ": metadata 'history': " + problem);
  };
  const nlohmann::json json =
      io::parse_metadata_json(text, path, "history", "not a JSON array", io::kHistoryLimits);
  if (!json.is_array()) bad("not a JSON array");
  if (json.size() != std::size_t(epochs)) {
    bad("holds " + std::to_string(json.size()) + " epochs but the checkpoint is after epoch " +
        std::to_string(epochs));
  }
  std::vector<EpochMetrics> history;
  const nlohmann::json keys = epoch_json(EpochMetrics{});
  for (const nlohmann::json& entry : json) {
    const std::string where = "epoch " + std::to_string(history.size() + 1) + ": ";
    if (!entry.is_object() || entry.size() != keys.size()) {
      bad(where +
          "expected an object of epoch, loss, accuracy, val_loss, val_accuracy, seconds, "
          "samples_per_second");
    }
    const auto number = [&](const char* key) {
      if (!entry.contains(key) || !(entry[key].is_null() || entry[key].is_number())) {
        bad(where + "'" + key + "' must be a number or null");
      }
      return entry[key].is_null() ? std::numeric_limits<double>::quiet_NaN()
                                  : entry[key].get<double>();
    };
    EpochMetrics epoch;
    if (!entry.contains("epoch") || !entry["epoch"].is_number_integer() ||
        entry["epoch"].get<std::int64_t>() != std::int64_t(history.size() + 1)) {
      bad(where + "'epoch' must be " + std::to_string(history.size() + 1));
    }
    epoch.epoch = int(history.size() + 1);
    epoch.loss = number("loss");
    epoch.accuracy = number("accuracy");
    epoch.val_loss = number("val_loss");
    epoch.val_accuracy = number("val_accuracy");
    epoch.seconds = number("seconds");
    epoch.samples_per_second = number("samples_per_second");
    history.push_back(epoch);
  }
  return history;
}

nlohmann::json history_json(const std::vector<EpochMetrics>& history) {
  nlohmann::json epochs = nlohmann::json::array();
  for (const EpochMetrics& epoch : history)
    epochs.push_back(epoch_json(epoch));
  return epochs;
}

// The per-epoch metrics as CSV, rewritten whole (and atomically) after every epoch.
std::string log_csv(const std::vector<EpochMetrics>& epochs) {
  std::string text = "epoch,loss,accuracy,val_loss,val_accuracy,seconds,samples_per_second\n";
  const auto cell = [](double value) {
    return std::isnan(value) ? std::string() : io::shortest(value);
  };
  for (const EpochMetrics& e : epochs) {
    text += std::to_string(e.epoch) + "," + cell(e.loss) + "," + cell(e.accuracy) + "," +
            cell(e.val_loss) + "," + cell(e.val_accuracy) + "," + cell(e.seconds) + "," +
            cell(e.samples_per_second) + "\n";
  }
  return text;
}

// Standardisation fitted on the training rows only (a table's features read in place).
data::Standardization fit_on_rows(const data::RawRows& data, const std::vector<Index>& rows) {
  if (data.table) return data::Standardization::fit(data.table->features, rows);
  return data::Standardization::fit(data::features_of(data), rows);
}

// What --resume names: a checkpoint file, or the newest readable one in a folder (an unreadable
// newer one is skipped with a warning, as load_checkpoint would). Every value in its metadata is
// checked here, before any of it is used.
struct Resumable {
  std::string path;
  io::ModelDescription description;
  io::CheckpointState state;
  TrainSettings settings;
  std::vector<EpochMetrics> history;
};

// A checkpoint's settings, history and tensors checked against each other.
Resumable read_resumable(const std::string& path) {
  const io::SafetensorsFile file = io::read_safetensors(path);
  Resumable resumable{path,
                      io::read_model_metadata(file.metadata, path),
                      io::read_checkpoint_state(file.metadata, path),
                      {},
                      {}};
  resumable.settings = TrainSettings::from_json(resumable.state.options_json, path);
  resumable.history = history_from_json(resumable.state.history_json, resumable.state.epoch, path);
  if (resumable.state.best_epoch.epoch > resumable.state.epoch) {
    throw io::FormatError(path + ": metadata 'best_epoch': epoch " +
                          std::to_string(resumable.state.best_epoch.epoch) +
                          " is after the checkpoint's epoch " +
                          std::to_string(resumable.state.epoch));
  }
  // The precision the run began with is the one its tensors hold.
  const io::Dtype dtype = resumable.settings.dtype == "f64" ? io::Dtype::F64 : io::Dtype::F32;
  for (const io::TensorRecord& tensor : file.tensors) {
    if (tensor.dtype != dtype) {
      throw io::FormatError(path + ": metadata 'options': 'dtype' is " + resumable.settings.dtype +
                            " but tensor '" + tensor.name + "' is " +
                            std::string(io::dtype_name(tensor.dtype)));
    }
  }
  return resumable;
}

Resumable find_resumable(const std::string& path_or_folder, std::vector<std::string>& warnings) {
  std::vector<std::string> candidates = {path_or_folder};
  if (std::filesystem::is_directory(path_or_folder)) {
    candidates = io::list_checkpoints(path_or_folder);
  }
  std::string skipped;
  for (const std::string& candidate : candidates) {
    try {
      Resumable resumable = read_resumable(candidate);
      if (!skipped.empty()) warnings.push_back(skipped + "; using " + candidate);
      return resumable;
    } catch (const std::exception& error) {
      if (candidates.size() == 1) throw;
      skipped = "checkpoint " + candidate + " is unreadable (" + error.what() + ")";
    }
  }
  throw std::runtime_error(path_or_folder + ": no readable checkpoint");
}

// A training setting as its flag writes it, to compare a command with the run it resumes.
struct FlagSetting {
  const char* flag;
  std::string (*text)(const TrainSettings&);
};

const FlagSetting kFlagSettings[] = {
    {"--layers",
     [](const TrainSettings& s) { return format_layer_spec(parse_layers_flag(s.layers)); }},
    {"--loss", [](const TrainSettings& s) { return s.loss; }},
    {"--optimizer", [](const TrainSettings& s) { return s.optimizer; }},
    {"--lr",
     [](const TrainSettings& s) {
       return s.lr == 0 ? std::string("the optimizer's default") : io::shortest(s.lr);
     }},
    {"--momentum", [](const TrainSettings& s) { return io::shortest(s.momentum); }},
    {"--nesterov", [](const TrainSettings& s) { return std::string(s.nesterov ? "on" : "off"); }},
    {"--weight-decay",
     [](const TrainSettings& s) {
       return s.weight_decay < 0 ? std::string("the optimizer's default")
                                 : io::shortest(s.weight_decay);
     }},
    {"--schedule", [](const TrainSettings& s) { return s.schedule; }},
    {"--step-size",
     [](const TrainSettings& s) {
       return s.step_size == 0 ? std::string("a third of the epochs") : std::to_string(s.step_size);
     }},
    {"--gamma", [](const TrainSettings& s) { return io::shortest(s.gamma); }},
    {"--warmup", [](const TrainSettings& s) { return std::to_string(s.warmup); }},
    {"--clip", [](const TrainSettings& s) { return io::shortest(s.clip); }},
    {"--batch", [](const TrainSettings& s) { return std::to_string(s.batch); }},
    {"--seed", [](const TrainSettings& s) { return std::to_string(s.seed); }},
    {"--val-split", [](const TrainSettings& s) { return io::shortest(s.val_split); }},
    {"--no-shuffle", [](const TrainSettings& s) { return std::string(s.shuffle ? "off" : "on"); }},
    {"--patience", [](const TrainSettings& s) { return std::to_string(s.patience); }},
    {"--dtype", [](const TrainSettings& s) { return s.dtype; }},
    {"--normalize",
     [](const TrainSettings& s) {
       return s.normalize.empty() ? std::string("its data's default") : s.normalize;
     }},
};

// The first `count` test images with their true and predicted classes, for the report's grid.
template <typename T>
std::vector<io::ReportImage> image_grid(const data::ImageDataset<T>& images, Sequential<T>& model,
                                        const std::vector<std::string>& classes, Index count) {
  count = std::min(count, images.size());
  std::vector<Index> rows(static_cast<std::size_t>(count));
  std::iota(rows.begin(), rows.end(), Index{0});
  BatchBuffer<T> features, targets;
  images.gather(rows, features.reshape(count, images.features()), targets.reshape(count, 1));
  model.eval();
  const auto output = model.forward(features.view());
  const Index side = Index(std::lround(std::sqrt(double(images.features()))));
  std::vector<io::ReportImage> grid;
  for (Index row = 0; row < count; ++row) {
    Index predicted = 0;
    output.row(row).maxCoeff(&predicted);
    const auto pixels = images.pixels(row);
    grid.push_back({std::vector<std::uint8_t>(pixels.begin(), pixels.end()), side,
                    images.features() / side, classes.at(images.label(row)),
                    classes.at(std::size_t(predicted))});
  }
  return grid;
}

}  // namespace

struct RunStart {
  TrainSettings settings;
  std::string run_id;
  std::optional<Resumable> resumed;
  std::vector<std::string> warnings;
  // The checkpoint folder holds another run's checkpoints, which the first save replaces.
  bool replace_other_runs = false;
};

namespace {

// Where Ctrl-C saves a run that has no --checkpoint-dir: the default folder when it is free for
// this run (no other run using it, and none of another run's checkpoints in it unless
// --overwrite-checkpoints), else a folder of this run's own beside it, so that the interrupted
// work is neither lost nor mixed with another run's. `lock` holds the folder until the save.
std::string claim_interrupted_folder(RunStart& start, bool overwrite,
                                     std::optional<io::FolderLock>& lock) {
  try {
    lock.emplace(kInterruptedFolder);
    const bool others = !io::other_runs_checkpoints(kInterruptedFolder, start.run_id).empty();
    if (!others || overwrite) {
      start.replace_other_runs = others;
      return kInterruptedFolder;
    }
    lock.reset();
  } catch (const std::runtime_error&) {
    // Busy or unusable: the run's own folder below.
  }
  const std::string own = std::string(kInterruptedFolder) + "-" + start.run_id.substr(0, 8);
  lock.emplace(own);
  return own;
}

}  // namespace

TrainCommand::TrainCommand(CLI::App& parent)
    : Command(parent, "train",
              "Train a network on a CSV file, an IDX pair or Fashion-MNIST, and save it") {
  add_value("--data", data_, "PATH",
            "Training data: a CSV file, an IDX images file (with --labels), or fashion-mnist");
  add_value("--labels", labels_, "PATH", "The IDX labels file for IDX images in --data");
  add_value("--test", test_, "PATH", "Test data, read as --data is, for the final test metrics");
  add_value("--test-labels", test_labels_, "PATH", "The IDX labels file for --test images");
  csv_.add_to(*command_);
  add_value("--normalize", normalize_, "standard|none",
            "Scale features by the training rows' mean and standard deviation (default: standard "
            "for CSV, none for images)");
  add_value("--val-split", val_split_, "F", "Fraction of training rows held out for validation");
  add_value("--layers", layers_, "SPEC",
            "The network, e.g. 256:relu,128:relu,dropout:0.2,10 (UNITS[:ACTIVATION] or "
            "dropout:P entries; activations sigmoid, tanh, relu, leaky_relu, gelu, softmax)");
  add_value("--loss", loss_, "ce|bce|mse|sse",
            "Softmax cross-entropy, binary cross-entropy, mean or summed squared error");
  add_value("--optimizer", optimizer_, "sgd|adam|adamw|rmsprop", "The optimizer");
  add_value("--lr", lr_, "X",
            "Learning rate (default: sgd 0.01, adam 1e-3, adamw 1e-3, rmsprop 1e-2)");
  add_value("--momentum", momentum_, "X", "Momentum (sgd, rmsprop)");
  add_switch("--nesterov", nesterov_, "Nesterov momentum (sgd)");
  add_value("--weight-decay", weight_decay_, "X", "Weight decay (default: adamw 0.01, others 0)");
  add_value("--schedule", schedule_, "constant|step|cosine", "Learning-rate schedule");
  add_value("--step-size", step_size_, "EPOCHS",
            "Epochs between step decays (default: a third of the epochs)");
  add_value("--gamma", gamma_, "X", "The step schedule's decay factor");
  add_value("--warmup", warmup_, "EPOCHS", "Epochs of linear learning-rate warm-up");
  add_value("--clip", clip_, "NORM", "Clip the gradients' global L2 norm (0: no clipping)");
  add_value("--batch", batch_, "N", "Rows per mini-batch");
  add_value("--epochs", epochs_, "N", "Epochs in all, counting those a resumed run already did");
  add_value("--seed", seed_, "N", "Seed for the split, the weights, the shuffles and dropout");
  add_switch("--no-shuffle", no_shuffle_, "Visit rows in file order every epoch");
  add_value("--patience", patience_, "N",
            "Stop after N epochs without a better validation loss (0: never)");
  add_value("--dtype", dtype_, "f32|f64", "Precision of training and of the saved model");
  threads_ = std::to_string(std::max(1u, std::thread::hardware_concurrency()));
  add_value("--threads", threads_, "N",
            "Threads for matrix products (default: the cores); the results are the same bits "
            "for any N");
  add_value("--init", init_, "MODEL",
            "Start from a model file's weights (one made by PyTorch too)");
  add_value("--out", out_, "MODEL", "Save the trained model here (safetensors)");
  add_value("--checkpoint-dir", checkpoint_dir_, "DIR",
            "Save a checkpoint after every epoch, and where Ctrl-C or SIGTERM stops training "
            "(default for that one: " +
                std::string(kInterruptedFolder) + ")");
  add_value("--resume", resume_, "PATH",
            "Continue from a checkpoint file, or the newest valid one in a folder, with the "
            "settings it began with (only --epochs may change; other settings given must agree)");
  add_switch("--overwrite-checkpoints", overwrite_checkpoints_,
             "Let this run replace the checkpoints of another run in --checkpoint-dir (else "
             "refused); they are removed once this run's first checkpoint is saved");
  add_switch("--detect-anomaly", detect_anomaly_,
             "Check every layer's output and gradient for NaN or infinity in every step "
             "(slower; a non-finite loss or gradient stops training either way)");
  add_value("--log", log_, "FILE.csv", "Write the per-epoch metrics as CSV");
  add_value("--report", report_, "FILE.html", "Write a self-contained HTML report");
  add_switch("--quiet", quiet_, "No progress output");
  add_switch("--json", json_,
             "Print one JSON object with every epoch's metrics and the test metrics");
}

void TrainCommand::check_flags() const {
  one_of("--dtype", dtype_, {"f32", "f64"});
  if (data_.empty()) {
    throw FlagError("--data",
                    "required: a CSV file, an IDX images file with --labels, or "
                    "fashion-mnist");
  }
  if (data_ == "fashion-mnist" && !labels_.empty()) {
    throw FlagError("--labels", "fashion-mnist brings its own labels");
  }
  if (!test_labels_.empty() && test_.empty()) throw FlagError("--test-labels", "needs --test");
  if (!init_.empty() && !resume_.empty()) {
    throw FlagError("--init", "not with --resume: the checkpoint holds the weights");
  }
  settings_from_flags();
  parse_integer("--threads", threads_, 1, 256);
  csv_.options();
}

// Refuses, before any data is read, an output that cannot be written or that is the same file
// as an input or another output (output_checks.hpp). The checkpoint folder is an output, and so
// is every checkpoint in it, which this run may replace or prune; --resume alone may read them.
void TrainCommand::check_paths() const {
  const std::vector<io::NamedPath> files = {
      {"--out", out_}, {"--log", log_}, {"--report", report_}};
  check_output_files(files);
  std::vector<io::NamedPath> outputs = files;
  if (!checkpoint_dir_.empty()) {
    io::check_output_folder(checkpoint_dir_);
    outputs.push_back({"--checkpoint-dir", checkpoint_dir_});
    for (const std::string& checkpoint : io::list_checkpoints(checkpoint_dir_))
      outputs.push_back({"--checkpoint-dir", checkpoint});
  }
  refuse_same_file({{"--data", data_},
                    {"--labels", labels_},
                    {"--test", test_},
                    {"--test-labels", test_labels_},
                    {"--init", init_}},
                   outputs);
  std::vector<io::NamedPath> resumed = {{"--resume", resume_}};
  if (!resume_.empty() && std::filesystem::is_directory(resume_)) {
    for (const std::string& checkpoint : io::list_checkpoints(resume_))
      resumed.push_back({"--resume", checkpoint});
  }
  refuse_same_file(resumed, files);
}

void TrainCommand::run(std::ostream& out) {
  check_flags();
  check_paths();
  // The checkpoint folder is this run's alone until the process ends, however it ends.
  std::optional<io::FolderLock> lock;
  if (!checkpoint_dir_.empty()) lock.emplace(checkpoint_dir_);
  RunStart start = start_run();
  // The precision is the run's: a resumed run keeps the one it began with.
  if (start.settings.dtype == "f64") return train<double>(out, start);
  train<float>(out, start);
}

// The settings and identity of a new run, or of the run --resume continues: the checkpoint's
// settings, where any flag given must agree (but --epochs, which may change).
RunStart TrainCommand::start_run() const {
  RunStart start;
  start.settings = settings_from_flags();
  if (!resume_.empty()) {
    start.resumed = find_resumable(resume_, start.warnings);
    const TrainSettings& run = start.resumed->settings;
    for (const FlagSetting& setting : kFlagSettings) {
      if (command_->count(setting.flag) == 0) continue;
      const std::string was = setting.text(run), now = setting.text(start.settings);
      if (was != now) {
        throw FlagError("--resume", "the run in " + resume_ + " was trained with " + setting.flag +
                                        " " + was + "; this command says " + now);
      }
    }
    const int epochs = start.settings.epochs;
    start.settings = run;
    if (command_->count("--epochs") > 0) start.settings.epochs = epochs;
    // Only --epochs changed, so only it can be at odds with the rest (the run's warm-up).
    if (problem_of(start.settings, flag_of)) {
      throw FlagError("--epochs", "must be more than the run's --warmup of " +
                                      std::to_string(run.warmup) + " epochs");
    }
  }
  start.run_id = start.resumed ? start.resumed->state.run_id : io::new_run_id();
  if (!checkpoint_dir_.empty()) {
    const std::vector<std::string> others =
        io::other_runs_checkpoints(checkpoint_dir_, start.run_id);
    if (!others.empty() && !overwrite_checkpoints_) {
      throw std::runtime_error(
          checkpoint_dir_ + ": holds checkpoints of another run (" +
          std::filesystem::path(others.front()).filename().string() +
          (others.size() > 1 ? " and " + std::to_string(others.size() - 1) + " more" : "") +
          "); go on with that run with --resume " + checkpoint_dir_ +
          ", or replace them with --overwrite-checkpoints");
    }
    start.replace_other_runs = !others.empty();
  }
  return start;
}

// Every training setting the flags give, each checked with a message that names its flag.
TrainSettings TrainCommand::settings_from_flags() const {
  TrainSettings settings;
  settings.layers = layers_;
  settings.loss = one_of("--loss", loss_, {"ce", "bce", "mse", "sse"});
  settings.optimizer = one_of("--optimizer", optimizer_, {"sgd", "adam", "adamw", "rmsprop"});
  if (!lr_.empty()) settings.lr = parse_non_negative("--lr", lr_);
  if (!lr_.empty() && settings.lr == 0) throw FlagError("--lr", "must be greater than 0");
  settings.momentum = parse_non_negative("--momentum", momentum_);
  settings.nesterov = nesterov_;
  if (!weight_decay_.empty())
    settings.weight_decay = parse_non_negative("--weight-decay", weight_decay_);
  settings.schedule = one_of("--schedule", schedule_, {"constant", "step", "cosine"});
  if (!step_size_.empty())
    settings.step_size = int(parse_integer("--step-size", step_size_, 1, kMaxEpochs));
  settings.gamma = parse_non_negative("--gamma", gamma_);
  settings.warmup = int(parse_integer("--warmup", warmup_, 0, kMaxEpochs));
  settings.clip = parse_non_negative("--clip", clip_);
  settings.batch = parse_integer("--batch", batch_, 1, kMaxBatch);
  settings.epochs = int(parse_integer("--epochs", epochs_, 1, kMaxEpochs));
  settings.seed = std::uint32_t(parse_integer("--seed", seed_, 0, 4294967295));
  settings.val_split = parse_non_negative("--val-split", val_split_);
  if (settings.val_split >= 1)
    throw FlagError("--val-split", "must be below 1, got '" + val_split_ + "'");
  settings.shuffle = !no_shuffle_;
  settings.patience = int(parse_integer("--patience", patience_, 0, kMaxEpochs));
  settings.dtype = dtype_;
  if (!normalize_.empty())
    settings.normalize = one_of("--normalize", normalize_, {"standard", "none"});
  if (const auto problem = problem_of(settings, flag_of)) {
    throw FlagError(flag_of(problem->key), problem->problem);
  }
  return settings;
}

template <typename T>
void TrainCommand::train(std::ostream& out, RunStart& start) {
  TrainSettings& settings = start.settings;
  kernels::ThreadPool threads(int(parse_integer("--threads", threads_, 1, 256)));

  // A resumed run continues with the settings it began with; only --epochs may grow.
  io::ModelDescription description;
  std::vector<std::string>& warnings = start.warnings;
  const std::optional<Resumable>& resumed = start.resumed;
  if (resumed) description = resumed->description;
  if (settings.layers.empty() && init_.empty()) {
    throw FlagError("--layers", "required: the network, e.g. --layers 128:relu,10");
  }

  data::DataSource source{data_, labels_, csv_.options(), /*test_set=*/false};
  if (resumed && !csv_.label_given()) source.csv.label = description.label_name;
  data::RawRows rows = data::read_rows(source);
  const data::DataFingerprint fingerprint = data::fingerprint_of(rows);
  if (resumed && fingerprint != resumed->state.data) {
    const data::DataFingerprint& was = resumed->state.data;
    throw FlagError("--data",
                    "not the data the run in " + resume_ + " was trained on (" +
                        data::rows_and_features(was) + "; this data has " +
                        (was.rows == fingerprint.rows && was.features == fingerprint.features
                             ? "as many, with other values"
                             : data::rows_and_features(fingerprint)) +
                        ")");
  }
  const Task task = task_of_loss(settings.loss);

  std::optional<io::LoadedModel<T>> initial;
  if (!init_.empty()) {
    initial.emplace(io::load_model<T>(init_, settings.layers));
    require_loss_fits(settings.loss, initial->network.outputs(), init_);
    if (settings.layers.empty()) settings.layers = initial->description.spec;
  }
  std::vector<std::string> classes;
  if (resumed) {
    classes = description.classes;
  } else if (initial && initial->has_metadata) {
    classes = initial->description.classes;
  } else if (task != Task::regression) {
    classes = data::classes_of(rows);
  }
  const Matrix<double> targets = data::targets_of(rows, task, classes);

  Random random(settings.seed);
  auto [training_rows, validation_rows] = split_rows(rows.rows(), settings.val_split, random);
  const std::string normalize =
      !settings.normalize.empty() ? settings.normalize : (rows.table ? "standard" : "none");
  std::optional<data::Standardization> scaling;
  if (resumed && !description.mean.empty()) {
    scaling = data::Standardization{description.mean, description.scale};
  } else if (initial && initial->has_metadata && !initial->description.mean.empty()) {
    scaling = data::Standardization{initial->description.mean, initial->description.scale};
  } else if (!resumed && normalize == "standard") {
    scaling = fit_on_rows(rows, training_rows);
  }
  const Index features = rows.features();
  std::vector<std::string> feature_names =
      rows.table ? rows.table->feature_names : std::vector<std::string>{};
  const std::string label_name = rows.table ? rows.table->label_name : "label";
  const bool images = rows.images.has_value();
  const std::unique_ptr<Dataset<T>> dataset =
      data::make_dataset<T>(std::move(rows), targets, scaling ? &*scaling : nullptr);
  const Subset<T> training(*dataset, std::move(training_rows));
  const Subset<T> validation(*dataset, std::move(validation_rows));

  Sequential<T> model = initial ? std::move(initial->network)
                                : build_model<T>(parse_layers_flag(settings.layers), features);
  if (!initial) initialize(model, Initializer::torch_default, random);
  model.use_threads(&threads);
  if (model.inputs() != features) {
    throw std::runtime_error("the model takes " + std::to_string(model.inputs()) +
                             " features but " + data_ + " has " + std::to_string(features));
  }
  const Index expected_outputs = task == Task::multiclass ? Index(classes.size()) : 1;
  if (model.outputs() != expected_outputs) {
    throw std::runtime_error(
        "the network has " + std::to_string(model.outputs()) + " outputs but " +
        (task == Task::multiclass ? "the data has " + std::to_string(classes.size()) + " classes"
                                  : std::string("this loss needs 1")) +
        "; end --layers with " + std::to_string(expected_outputs));
  }

  // The test rows are read and checked (features, classes, labels) before the first epoch, so
  // that a bad --test file does not cost the run.
  std::unique_ptr<Dataset<T>> test_data;
  std::string test_path;
  if (data_ == "fashion-mnist" || !test_.empty()) {
    data::DataSource test_source = source;
    test_source.test_set = data_ == "fashion-mnist";
    if (!test_.empty()) test_source = {test_, test_labels_, source.csv, false};
    data::RawRows test_rows = data::read_rows(test_source);
    if (test_rows.features() != features) {
      throw std::runtime_error(test_rows.path + " has " + std::to_string(test_rows.features()) +
                               " features, the training data " + std::to_string(features));
    }
    const Matrix<double> test_targets = data::targets_of(test_rows, task, classes);
    test_path = test_rows.path;
    test_data =
        data::make_dataset<T>(std::move(test_rows), test_targets, scaling ? &*scaling : nullptr);
  }

  auto loss = make_loss<T>(settings.loss);
  auto optimizer = make_optimizer<T>(settings);
  const std::int64_t steps_per_epoch = (training.size() + settings.batch - 1) / settings.batch;
  TrainingOptions options;
  options.batch_size = settings.batch;
  options.epochs = settings.epochs;
  options.shuffle = settings.shuffle;
  options.patience = settings.patience;
  options.clip_norm = settings.clip;
  options.schedule = make_schedule(settings, optimizer->learning_rate(), steps_per_epoch);

  description.spec = format_layer_spec(parse_layers_flag(settings.layers));
  description.inputs = features;
  description.loss = settings.loss;
  description.classes = classes;
  description.mean = scaling ? scaling->mean : std::vector<double>{};
  description.scale = scaling ? scaling->scale : std::vector<double>{};
  description.feature_names = feature_names;
  description.label_name = label_name;

  std::vector<EpochMetrics> history;
  BestEpoch best_epoch;
  std::vector<T> best_weights;
  if (resumed) {
    const io::CheckpointState state = io::load_checkpoint<T>(resumed->path, model, *optimizer,
                                                             description, warnings, &best_weights);
    random.restore(state.random_state);
    options.first_epoch = state.epoch + 1;
    options.resume_from = state.inside_epoch;
    best_epoch = state.best_epoch;
    history = resumed->history;
  }
  options.detect_anomaly = detect_anomaly_;
  Trainer<T> trainer(model, *loss, *optimizer, options);
  // Early stopping goes on with what it knew, so that a resumed run stops where it would have.
  if (resumed) trainer.resume_early_stopping(best_epoch, std::move(best_weights));
  for (const std::string& warning : warnings)
    std::cerr << "scratchnet: warning: " << warning << "\n";

  Progress progress(Progress::style_for(quiet_ || json_), settings.epochs);
  TrainingCallbacks callbacks;
  callbacks.on_batch = [&](const BatchProgress& p) { progress.batch(p); };
  // A checkpoint of where training stands: after epoch `epoch`, and inside the next one when
  // `inside_epoch` is set.
  const auto save_checkpoint = [&](const std::string& folder, int epoch,
                                   const std::optional<EpochProgress>& inside_epoch) {
    io::CheckpointState state;
    state.run_id = start.run_id;
    state.data = fingerprint;
    state.epoch = epoch;
    state.random_state = random.state();
    state.options_json = settings.to_json();
    state.history_json = history_json(history).dump();
    state.inside_epoch = inside_epoch;
    state.best_epoch = trainer.best_epoch();
    const std::string path = io::save_checkpoint<T>(folder, model, *optimizer, description, state,
                                                    trainer.best_weights());
    // What another run left goes only now that this run has a checkpoint in its place.
    if (start.replace_other_runs) io::remove_other_runs_checkpoints(folder, start.run_id);
    start.replace_other_runs = false;
    return path;
  };
  callbacks.on_epoch = [&](const EpochMetrics& metrics) {
    progress.epoch(metrics);
    history.push_back(metrics);
    if (!log_.empty()) io::write_file_atomically(log_, log_csv(history));
    if (!checkpoint_dir_.empty()) save_checkpoint(checkpoint_dir_, metrics.epoch, std::nullopt);
    return true;
  };
  callbacks.stop_requested = [] { return InterruptGuard::received() != 0; };
  TrainingResult result;
  if (options.first_epoch <= options.epochs) {
    const InterruptGuard interrupts;
    try {
      result =
          trainer.fit(training, validation.size() > 0 ? &validation : nullptr, random, callbacks);
    } catch (const NonFiniteError& error) {
      progress.clear_line();
      std::cerr << "scratchnet: error: training stopped: " << error.what()
                << (checkpoint_dir_.empty() || history.empty()
                        ? "; nothing was saved"
                        : "; the checkpoint of epoch " + std::to_string(history.back().epoch) +
                              " is kept")
                << "\n";
      throw ExitWithStatus{kExitNonFinite};
    }
    if (result.stopped_by_request) {
      // Where training stands now, so that --resume goes on bit for bit; nothing else is written.
      std::optional<io::FolderLock> interrupted_lock;
      const std::string folder =
          checkpoint_dir_.empty()
              ? claim_interrupted_folder(start, overwrite_checkpoints_, interrupted_lock)
              : checkpoint_dir_;
      const int epochs_done = result.interrupted ? result.interrupted->epoch - 1
                                                 : (history.empty() ? 0 : history.back().epoch);
      const std::string path =
          result.interrupted || checkpoint_dir_.empty()
              ? save_checkpoint(folder, epochs_done, result.interrupted)
              : (std::filesystem::path(folder) / io::checkpoint_file_name(epochs_done)).string();
      progress.clear_line();
      std::cerr << "scratchnet: interrupted";
      if (result.interrupted) {
        std::cerr << " in epoch " << result.interrupted->epoch << " after batch "
                  << result.interrupted->batches_done;
      } else {
        std::cerr << " after epoch " << epochs_done;
      }
      std::cerr << "; saved " << path << "; go on with --resume " << folder << "\n";
      throw ExitWithStatus{128 + InterruptGuard::received()};
    }
  }

  // Final test metrics: Fashion-MNIST's test set, or --test, read and checked above.
  std::optional<Evaluation> test;
  if (test_data) {
    test = evaluate(model, *loss, *test_data, settings.batch);
    if (test->first_non_finite_row) {  // no argmax of NaN reported as a result
      std::cerr << "scratchnet: warning: " << test_path << ": row "
                << *test->first_non_finite_row + 1 << ": the model's output is not finite ("
                << test->non_finite_rows << " of " << test_data->size()
                << " rows); no test metrics\n";
      test.reset();
    }
  }

  nlohmann::json training_json = {{"settings", nlohmann::json::parse(settings.to_json())},
                                  {"epochs", history.size()},
                                  {"stopped_early", result.stopped_early}};
  if (test) training_json["test"] = evaluation_json(*test, classes);
  description.training_json = training_json.dump();
  if (!out_.empty()) io::save_model<T>(out_, model, description);

  if (!report_.empty()) {
    io::ReportData report;
    report.title = "scratchnet train: " + data_;
    report.epochs = history;
    report.class_names = classes;
    if (test && test->confusion) report.confusion = test->confusion;
    report.summary = {{"data", data_},
                      {"layers", description.spec},
                      {"loss", settings.loss},
                      {"optimizer", settings.optimizer},
                      {"epochs", std::to_string(history.size())}};
    if (test) report.summary.push_back({"test accuracy", io::shortest(test->accuracy())});
    if (images && test_data) {
      const auto* image_data = dynamic_cast<const data::ImageDataset<T>*>(test_data.get());
      if (image_data != nullptr) report.images = image_grid(*image_data, model, classes, 36);
    }
    io::write_file_atomically(report_, io::render_html_report(report));
  }

  if (json_) {
    nlohmann::json report = {{"epochs", history_json(history)}};
    report["test"] = test ? evaluation_json(*test, classes) : nlohmann::json(nullptr);
    out << report.dump() << "\n";
    return;
  }
  if (result.stopped_early) {
    out << "stopped early after epoch " << history.back().epoch << "; kept epoch "
        << result.best_epoch << "'s weights\n";
  }
  if (test) {
    out << "test: ";
    print_evaluation(out, *test, classes);
  }
  if (!out_.empty()) out << "saved " << out_ << "\n";
}

}  // namespace scratchnet::cli
