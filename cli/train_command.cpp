#include "train_command.hpp"

#include <cmath>
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>
#include <numeric>
#include <thread>
#include <type_traits>

#include "evaluation_output.hpp"
#include "exit_status.hpp"
#include "flag_values.hpp"
#include "float_digits.hpp"
#include "interrupt.hpp"
#include "output_checks.hpp"
#include "progress.hpp"
#include "scratchnet/files/atomic_file.hpp"
#include "scratchnet/files/folder_lock.hpp"
#include "scratchnet/io/checkpoint.hpp"
#include "scratchnet/optimizers/adamw.hpp"
#include "scratchnet/report/filter_images.hpp"
#include "scratchnet/report/html_report.hpp"
#include "scratchnet/report/run_summary.hpp"
#include "scratchnet/text/shortest.hpp"
#include "scratchnet/training/anomaly.hpp"
#include "scratchnet/training/default_learning_rates.hpp"
#include "scratchnet/training/factories.hpp"
#include "scratchnet/training/history.hpp"
#include "scratchnet/training/label_units.hpp"
#include "scratchnet/training/setting_error.hpp"
#include "scratchnet/training/training_run.hpp"
#include "setting_flags.hpp"
#include "shell_words.hpp"

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

// The per-epoch metrics as CSV, rewritten whole (and atomically) after every epoch; a float
// run's losses with float's digits.
std::string log_csv(const std::vector<EpochMetrics>& epochs, bool regression, bool float_run) {
  // A regression run's measures come after the columns every run has, so that those keep their
  // places.
  std::string text = "epoch,loss,accuracy,val_loss,val_accuracy,seconds,samples_per_second" +
                     std::string(regression ? ",mae,r2,val_mae,val_r2" : "") + "\n";
  const auto cell = [](double value) {
    return std::isnan(value) ? std::string() : shortest(value);
  };
  const auto loss_cell = [&](double value) {
    return std::isnan(value) || !float_run ? cell(value) : shortest_float(value);
  };
  for (const EpochMetrics& e : epochs) {
    text += std::to_string(e.epoch) + "," + loss_cell(e.loss) + "," + cell(e.accuracy) + "," +
            loss_cell(e.val_loss) + "," + cell(e.val_accuracy) + "," + cell(e.seconds) + "," +
            cell(e.samples_per_second);
    if (regression)
      text += "," + cell(e.mae) + "," + cell(e.r2) + "," + cell(e.val_mae) + "," + cell(e.val_r2);
    text += "\n";
  }
  return text;
}

// The first `count` test images with their true and predicted classes, for the report's grid:
// grey images only, [1, height, width].
template <typename T>
std::vector<report::ReportImage> image_grid(const data::ImageDataset<T>& images,
                                            Sequential<T>& model,
                                            const std::vector<std::string>& classes, Index count) {
  const Shape shape = images.sample_shape();
  if (shape.rank() != 3 || shape[0] != 1) return {};
  count = std::min(count, images.size());
  std::vector<Index> rows(static_cast<std::size_t>(count));
  std::iota(rows.begin(), rows.end(), Index{0});
  BatchBuffer<T> features, targets;
  images.gather(rows, features.reshape(count, images.features()), targets.reshape(count, 1));
  model.eval();
  const auto output = model.forward(features.view());
  std::vector<report::ReportImage> grid;
  for (Index row = 0; row < count; ++row) {
    Index predicted = 0;
    output.row(row).maxCoeff(&predicted);
    const auto pixels = images.pixels(row);
    grid.push_back({std::vector<std::uint8_t>(pixels.begin(), pixels.end()), shape[2], shape[1],
                    classes.at(images.label(row)), classes.at(std::size_t(predicted))});
  }
  return grid;
}

// Where Ctrl-C saves a run that has no --checkpoint-dir: the default folder when it is free for
// this run (no other run using it, and none of another run's checkpoints in it unless
// --overwrite-checkpoints), else a folder of this run's own beside it, so that the interrupted
// work is neither lost nor mixed with another run's. `lock` holds the folder until the save.
struct InterruptedFolder {
  std::string path;
  bool replace_other_runs = false;  // the default folder holds other runs' checkpoints
};

InterruptedFolder claim_interrupted_folder(const std::string& run_id, bool overwrite,
                                           std::optional<files::FolderLock>& lock) {
  try {
    lock.emplace(kInterruptedFolder);
    const bool others = !io::other_runs_checkpoints(kInterruptedFolder, run_id).empty();
    if (!others || overwrite) return {kInterruptedFolder, others};
    lock.reset();
  } catch (const std::runtime_error&) {
    // Busy or unusable: the run's own folder below.
  }
  const std::string own = std::string(kInterruptedFolder) + "-" + run_id.substr(0, 8);
  lock.emplace(own);
  return {own, false};
}

}  // namespace

struct RunStart {
  training::TrainSettings settings;
  std::string run_id;
  std::optional<training::Resumable> resumed;
  std::vector<std::string> warnings;
  // The checkpoint folder holds another run's checkpoints, which the first save replaces.
  bool replace_other_runs = false;
};

TrainCommand::TrainCommand(CLI::App& parent)
    : Command(parent, "train",
              "Train a network on a CSV file, an IDX pair or Fashion-MNIST, and save it") {
  add_data_flags();
  add_training_flags();
  add_file_flags();
}

void TrainCommand::add_data_flags() {
  add_value("--data", data_, "PATH",
            "Training data: a CSV file, an IDX images file (with --labels), or fashion-mnist");
  add_value("--labels", labels_, "PATH", "The IDX labels file for IDX images in --data");
  add_value("--test", test_, "PATH", "Test data, read as --data is, for the final test metrics");
  add_value("--test-labels", test_labels_, "PATH", "The IDX labels file for --test images");
  csv_.add_to(*command_, "the last column; resuming, the column the run was trained on");
  add_value("--input-shape", input_shape_, "C,H,W",
            "The shape of each CSV row's sample, as 1,28,28 for 784 pixel columns (default: "
            "flat); layers that work on whole rows see the row flattened");
  add_value("--normalize", normalize_, "standard|none",
            "Scale features by the training rows' mean and standard deviation (default: standard "
            "for CSV, none for images)");
  add_value("--missing", missing_, "error|drop|mean|median",
            "Missing feature values (empty cells, NA, nan, ?): refuse them, drop their rows, or "
            "fill them with the column's mean or median over the training rows, stored in the "
            "model for prediction (default: error)");
  add_value("--normalize-target", normalize_target_, "standard|none",
            "Train a regression model on its targets standardized by the training rows' mean "
            "and standard deviation, its outputs mapped back (default: standard for mse, none "
            "for sse)");
  add_value("--val-split", val_split_, "F", "Fraction of training rows held out for validation");
}

void TrainCommand::add_training_flags() {
  add_value("--layers", layers_, "SPEC",
            "The network, e.g. 256:relu,128:relu,dropout:0.2,10 (UNITS[:nobias][:ACTIVATION], "
            "ACTIVATION or dropout:P entries; activations sigmoid, tanh, relu, "
            "leaky_relu[=SLOPE], gelu, softmax)");
  add_value("--loss", loss_, "ce|bce|mse|sse",
            "Softmax cross-entropy, binary cross-entropy, mean or summed squared error");
  add_value("--optimizer", optimizer_, "sgd|adam|adamw|rmsprop", "The optimizer");
  add_value("--lr", lr_, "X",
            "Learning rate (default: " + training::default_learning_rates_text() + ")");
  add_value("--momentum", momentum_, "X", "Momentum (sgd, rmsprop)");
  add_switch("--nesterov", nesterov_, "Nesterov momentum (sgd)");
  add_value(
      "--weight-decay", weight_decay_, "X",
      "Weight decay (default: adamw " + shortest(AdamWOptions{}.weight_decay) + ", others 0)");
  add_value("--schedule", schedule_, "constant|step|cosine",
            "Learning-rate schedule (cosine: from the rate down to 0 by the last step)");
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
}

void TrainCommand::add_file_flags() {
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
  if (test_ == "fashion-mnist" && !test_labels_.empty()) {
    throw FlagError("--test-labels", "fashion-mnist brings its own labels");
  }
  if (!input_shape_.empty()) {
    parse_shape("--input-shape", input_shape_);
    if (data_ == "fashion-mnist" || !labels_.empty())
      throw FlagError("--input-shape", "is for CSV data; IDX images carry their own shape");
  }
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
  const std::vector<files::NamedPath> files = {
      {"--out", out_}, {"--log", log_}, {"--report", report_}};
  check_output_files(files);
  std::vector<files::NamedPath> outputs = files;
  if (!checkpoint_dir_.empty()) {
    files::check_output_folder(checkpoint_dir_);
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
  std::vector<files::NamedPath> resumed = {{"--resume", resume_}};
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
  std::optional<files::FolderLock> lock;
  if (!checkpoint_dir_.empty()) lock.emplace(checkpoint_dir_);
  try {
    RunStart start = start_run();
    // The precision is the run's: a resumed run keeps the one it began with.
    if (start.settings.dtype == "f64") return train<double>(out, start);
    train<float>(out, start);
  } catch (const training::SettingError& error) {
    throw FlagError(flag_of(error.key()), error.problem());
  }
}

// The settings and identity of a new run, or of the run --resume continues: the checkpoint's
// settings, where any flag given must agree (but --epochs, which may change).
RunStart TrainCommand::start_run() const {
  RunStart start;
  start.settings = settings_from_flags();
  if (!resume_.empty()) {
    start.resumed = training::find_resumable(resume_, start.warnings);
    require_flags_agree(*command_, start.resumed->settings, start.settings, resume_);
    std::optional<int> epochs;
    if (command_->count("--epochs") > 0) epochs = start.settings.epochs;
    start.settings = training::continued_settings(*start.resumed, epochs, flag_of);
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
training::TrainSettings TrainCommand::settings_from_flags() const {
  training::TrainSettings settings;
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
    settings.step_size = int(parse_integer("--step-size", step_size_, 1, training::kMaxEpochs));
  settings.gamma = parse_non_negative("--gamma", gamma_);
  settings.warmup = int(parse_integer("--warmup", warmup_, 0, training::kMaxEpochs));
  settings.clip = parse_non_negative("--clip", clip_);
  settings.batch = parse_integer("--batch", batch_, 1, training::kMaxBatch);
  settings.epochs = int(parse_integer("--epochs", epochs_, 1, training::kMaxEpochs));
  settings.seed = std::uint32_t(parse_integer("--seed", seed_, 0, 4294967295));
  settings.val_split = parse_non_negative("--val-split", val_split_);
  if (settings.val_split >= 1)
    throw FlagError("--val-split", "must be below 1, got '" + val_split_ + "'");
  settings.shuffle = !no_shuffle_;
  settings.patience = int(parse_integer("--patience", patience_, 0, training::kMaxEpochs));
  settings.dtype = dtype_;
  if (!normalize_.empty())
    settings.normalize = one_of("--normalize", normalize_, {"standard", "none"});
  settings.missing = one_of("--missing", missing_, {"error", "drop", "mean", "median"});
  if (!normalize_target_.empty())
    settings.normalize_target =
        one_of("--normalize-target", normalize_target_, {"standard", "none"});
  if (const auto problem = training::problem_of(settings, flag_of)) {
    throw FlagError(flag_of(problem->key), problem->problem);
  }
  return settings;
}

// What the library's run starts from: the rows the flags name (a resumed run reads its label
// column by the name it was trained with, unless --label says otherwise), read now, and the
// test rows, read when the run has checked the training rows.
training::RunInputs TrainCommand::run_inputs(const RunStart& start) const {
  training::RunInputs inputs;
  data::DataSource source{data_, labels_, csv_.options(), /*test_set=*/false};
  if (start.resumed && !csv_.label_given())
    source.csv.label = start.resumed->description.label_name;
  inputs.rows = data::read_rows(source);
  inputs.data_name = data_;
  std::optional<Shape> table_shape;
  if (!input_shape_.empty()) {
    table_shape = parse_shape("--input-shape", input_shape_);
    if (table_shape->elements() != inputs.rows.features()) {
      throw FlagError("--input-shape",
                      in_quotes(input_shape_) + " is " + std::to_string(table_shape->elements()) +
                          " values per sample, but the rows of " + data_ + " have " +
                          std::to_string(inputs.rows.features()) + " features");
    }
    inputs.rows.table_shape = table_shape;
  }
  if (data_ == "fashion-mnist" || !test_.empty()) {
    // A test file with a header has its columns matched to the training file's by name.
    data::CsvOptions test_csv = source.csv;
    if (inputs.rows.table && inputs.rows.table->has_header)
      test_csv.feature_columns = inputs.rows.table->feature_names;
    inputs.read_test_rows = [this, source, test_csv, table_shape] {
      data::DataSource test_source =
          test_.empty() ? source : data::DataSource{test_, test_labels_, test_csv};
      // "fashion-mnist", as --data or --test, means its test images here.
      test_source.test_set = true;
      data::RawRows rows = data::read_rows(test_source);
      // Rows of another width are refused when the run checks them against the training rows.
      if (rows.table && table_shape && table_shape->elements() == rows.features())
        rows.table_shape = table_shape;
      return rows;
    };
  }
  inputs.init = init_;
  inputs.resume = start.resumed ? &*start.resumed : nullptr;
  inputs.run_id = start.run_id;
  inputs.checkpoint_folder = checkpoint_dir_;
  inputs.replace_other_runs = start.replace_other_runs;
  inputs.detect_anomaly = detect_anomaly_;
  return inputs;
}

template <typename T>
void TrainCommand::train(std::ostream& out, RunStart& start) {
  kernels::ThreadPool threads(int(parse_integer("--threads", threads_, 1, 256)));
  training::require_network(start.settings, init_, flag_of);
  training::RunInputs inputs = run_inputs(start);
  inputs.threads = &threads;
  training::TrainingRun<T> run(start.settings, std::move(inputs), flag_of);
  for (const std::string& warning : start.warnings)
    std::cerr << "scratchnet: warning: " << warning << "\n";
  if (run.rows_dropped() > 0) {
    std::cerr << "scratchnet: note: " << data_ << ": left out " << run.rows_dropped()
              << " rows with missing values (--missing drop)\n";
  }
  // Said before the work, not after: a run that forgot --out can be stopped and started again.
  if (out_.empty()) {
    std::cerr << "scratchnet: warning: no --out: the trained model will not be saved; pass "
                 "--out FILE to keep it\n";
  }

  Progress progress(Progress::style_for(quiet_ || json_), run.settings().epochs,
                    training::task_of_loss(run.settings().loss) == Task::regression);
  const auto started = std::chrono::system_clock::now();
  const auto clock = std::chrono::steady_clock::now();
  const TrainingResult result = fit(run, progress);
  const training::RunOutcome outcome = run.finish(result);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - clock).count();
  for (const std::string& warning : outcome.warnings)
    std::cerr << "scratchnet: warning: " << warning << "\n";
  if (!out_.empty()) io::save_model<T>(out_, run.model(), run.description());
  if (!report_.empty()) write_report(run, outcome, started, seconds);
  print_result(out, run, result, outcome);
}

// The epochs left, with progress, the log and Ctrl-C: a run stopped by a signal saves where it
// stands and ends the process, as does one that meets a NaN or an infinity.
template <typename T>
TrainingResult TrainCommand::fit(training::TrainingRun<T>& run, Progress& progress) {
  if (!run.has_epochs_left()) return {};
  TrainingCallbacks callbacks;
  callbacks.on_batch = [&](const BatchProgress& p) { progress.batch(p); };
  callbacks.on_epoch = [&](const EpochMetrics& metrics) {
    progress.epoch(metrics);
    if (!log_.empty()) {
      const bool regression = training::task_of_loss(run.settings().loss) == Task::regression;
      files::write_file_atomically(log_,
                                   log_csv(run.history(), regression, std::is_same_v<T, float>));
    }
    return true;
  };
  callbacks.stop_requested = [] { return InterruptGuard::received() != 0; };
  const InterruptGuard interrupts;
  TrainingResult result;
  try {
    result = run.fit(callbacks);
  } catch (const NonFiniteError& error) {
    const std::vector<EpochMetrics>& history = run.history();
    progress.clear_line();
    std::cerr << "scratchnet: error: training stopped: " << error.what()
              << (checkpoint_dir_.empty() || history.empty()
                      ? "; nothing was saved"
                      : "; the checkpoint of epoch " + std::to_string(history.back().epoch) +
                            " is kept")
              << "\n";
    throw ExitWithStatus{kExitNonFinite};
  }
  if (result.stopped_by_request) save_interrupted(run, result, progress);
  return result;
}

// Where training stands now, so that --resume goes on bit for bit; nothing else is written.
template <typename T>
void TrainCommand::save_interrupted(training::TrainingRun<T>& run, const TrainingResult& result,
                                    Progress& progress) {
  std::optional<files::FolderLock> interrupted_lock;
  std::string folder = checkpoint_dir_;
  if (folder.empty()) {
    const InterruptedFolder claimed =
        claim_interrupted_folder(run.run_id(), overwrite_checkpoints_, interrupted_lock);
    folder = claimed.path;
    run.replace_other_runs(claimed.replace_other_runs);
  }
  const std::vector<EpochMetrics>& history = run.history();
  const int epochs_done = result.interrupted ? result.interrupted->epoch - 1
                                             : (history.empty() ? 0 : history.back().epoch);
  const std::string path =
      result.interrupted || checkpoint_dir_.empty()
          ? run.save_checkpoint(folder, epochs_done, result.interrupted)
          : (std::filesystem::path(folder) / io::checkpoint_file_name(epochs_done)).string();
  progress.clear_line();
  std::cerr << "scratchnet: interrupted";
  if (result.interrupted) {
    std::cerr << " in epoch " << result.interrupted->epoch << " after batch "
              << result.interrupted->batches_done;
  } else {
    std::cerr << " after epoch " << epochs_done;
  }
  std::cerr << "; saved " << path << "; go on with: " << resume_command(folder) << "\n";
  throw ExitWithStatus{128 + InterruptGuard::received()};
}

// The command that goes on with this run from `folder`: this command's flags as given but the
// training settings, --epochs and --init (the checkpoint holds them all, and refuses --init),
// with --resume FOLDER. What stays is what the checkpoint does not know: the data, the files to
// write and how to show progress.
std::string TrainCommand::resume_command(const std::string& folder) const {
  std::vector<std::string> words = {"scratchnet", "train"};
  for (const CLI::Option* option : command_->get_options()) {
    const std::string flag = option->get_name();
    if (option->count() == 0 || flag == "--help" || flag == "--init" || flag == "--resume" ||
        flag == "--epochs" || is_setting_flag(flag))
      continue;
    words.push_back(flag);
    if (option->get_expected_max() == 0) continue;  // a switch
    for (const std::string& value : option->results())
      words.push_back(value);
  }
  words.insert(words.end(), {"--resume", folder});
  return shell_command(words);
}

template <typename T>
void TrainCommand::write_report(training::TrainingRun<T>& run, const training::RunOutcome& outcome,
                                std::chrono::system_clock::time_point started,
                                double seconds) const {
  const std::optional<Evaluation>& test = outcome.test;
  report::ReportData report;
  report.title = "scratchnet train: " + data_;
  report.epochs = run.history();
  report.class_names = run.classes();
  if (test && test->confusion) report.confusion = test->confusion;
  report.summary = {{"data", data_}};
  if (!test_.empty()) report.summary.push_back({"test data", test_});
  for (auto& row : report::settings_summary(run.settings(), run.description()))
    report.summary.push_back(std::move(row));
  report.summary.push_back({"epochs done", std::to_string(run.history().size())});
  report.summary.push_back({"started", report::utc_iso8601(started)});
  report.summary.push_back({"training time", report::duration_text(seconds)});
  if (test && test->confusion)
    report.summary.push_back({"test accuracy", shortest(test->accuracy())});
  if (training::task_of_loss(run.settings().loss) == Task::regression) {
    // The test rows, or without them the validation rows, in the label's units.
    const Dataset<T>* rows = run.test_data();
    report.regression_rows = rows ? "test" : "validation";
    if (test) report.regression = test->regression;
    if (!rows && run.validation_data().size() > 0) {
      rows = &run.validation_data();
      report.regression = training::in_label_units(
                              evaluate(run.model(), *training::make_loss<T>(run.settings().loss),
                                       *rows, run.settings().batch),
                              run.target_scaling())
                              .regression;
    }
    if (rows) {
      const training::OutputsAndTargets points = training::outputs_in_label_units(
          run.model(), *rows, run.target_scaling(), /*most_rows=*/5000);
      report.scatter = report::PredictedVsTrue{report.regression_rows, run.description().label_name,
                                               points.targets, points.outputs};
    }
  }
  if (run.trained_on_images() && run.test_data()) {
    const auto* image_data = dynamic_cast<const data::ImageDataset<T>*>(run.test_data());
    if (image_data != nullptr)
      report.images = image_grid(*image_data, run.model(), run.classes(), 36);
  }
  report.filters = report::first_conv_filters(run.model(), report.filters_layer);
  files::write_file_atomically(report_, report::render_html_report(report));
}

template <typename T>
void TrainCommand::print_result(std::ostream& out, const training::TrainingRun<T>& run,
                                const TrainingResult& result,
                                const training::RunOutcome& outcome) const {
  const std::optional<Evaluation>& test = outcome.test;
  if (json_) {
    nlohmann::json report = {{"epochs", training::history_json(run.history())}};
    report["test"] = test ? evaluation_json(*test, run.classes()) : nlohmann::json(nullptr);
    // A float run's losses are floats (or means of them): shown with float's digits.
    if (std::is_same_v<T, float>) use_float_digits(report, {"loss", "val_loss"});
    out << report.dump() << "\n";
    return;
  }
  if (result.stopped_early) {
    out << "stopped early after epoch " << run.history().back().epoch << "; kept epoch "
        << result.best_epoch << "'s weights\n";
  }
  if (test) {
    out << "test: ";
    print_evaluation(out, *test, run.classes());
  }
  if (!out_.empty()) out << "saved " << out_ << "\n";
}

}  // namespace scratchnet::cli
