#include "scratchnet/training/resumable.hpp"

#include <filesystem>
#include <stdexcept>

#include "scratchnet/training/history.hpp"
#include "scratchnet/training/setting_error.hpp"

namespace scratchnet::training {

Resumable read_resumable(const std::string& path) {
  Resumable run;
  run.named = path;
  run.path = path;
  run.file = io::read_safetensors(path);
  run.description = io::read_model_metadata(run.file.metadata, path);
  run.state = io::read_checkpoint_state(run.file.metadata, path);
  run.settings = TrainSettings::from_json(run.state.options_json, path);
  run.history = history_from_json(run.state.history_json, run.state.epoch, path);
  if (run.state.best_epoch.epoch > run.state.epoch) {
    throw io::FormatError(path + ": metadata 'best_epoch': epoch " +
                          std::to_string(run.state.best_epoch.epoch) +
                          " is after the checkpoint's epoch " + std::to_string(run.state.epoch));
  }
  // The precision the run began with is the one its floating tensors hold; counters (BatchNorm's
  // num_batches_tracked) are int64 in either, and load_checkpoint checks them against the model.
  const io::Dtype dtype = run.settings.dtype == "f64" ? io::Dtype::F64 : io::Dtype::F32;
  for (const io::TensorRecord& tensor : run.file.tensors) {
    if (tensor.dtype == io::Dtype::I64) continue;
    if (tensor.dtype != dtype) {
      throw io::FormatError(path + ": metadata 'options': 'dtype' is " + run.settings.dtype +
                            " but tensor '" + tensor.name + "' is " +
                            std::string(io::dtype_name(tensor.dtype)));
    }
  }
  return run;
}

Resumable find_resumable(const std::string& path_or_folder, std::vector<std::string>& warnings) {
  std::vector<std::string> candidates = {path_or_folder};
  if (std::filesystem::is_directory(path_or_folder)) {
    candidates = io::list_checkpoints(path_or_folder);
  }
  std::string skipped;
  for (const std::string& candidate : candidates) {
    try {
      Resumable run = read_resumable(candidate);
      run.named = path_or_folder;
      if (!skipped.empty()) warnings.push_back(skipped + "; using " + candidate);
      return run;
    } catch (const std::exception& error) {
      if (candidates.size() == 1) throw;
      skipped = "checkpoint " + candidate + " is unreadable (" + error.what() + ")";
    }
  }
  throw std::runtime_error(path_or_folder + ": no readable checkpoint");
}

TrainSettings continued_settings(const Resumable& run, std::optional<int> epochs,
                                 SettingName name) {
  TrainSettings settings = run.settings;
  if (epochs) settings.epochs = *epochs;
  // Only the epochs changed, so only they can be at odds with the rest (the run's warm-up).
  if (problem_of(settings, name)) {
    throw SettingError("epochs", "must be more than the run's " + name("warmup") + " of " +
                                     std::to_string(run.settings.warmup) + " epochs");
  }
  return settings;
}

void require_same_data(const Resumable& run, const data::DataFingerprint& data) {
  const data::DataFingerprint& was = run.state.data;
  if (data == was) return;
  throw SettingError("data", "not the data the run in " + run.named + " was trained on (" +
                                 data::rows_and_features(was) + "; this data has " +
                                 (was.rows == data.rows && was.features == data.features
                                      ? "as many, with other values"
                                      : data::rows_and_features(data)) +
                                 ")");
}

}  // namespace scratchnet::training
