#pragma once
// What resuming a training run means: the checkpoint a caller names (a file, or the newest
// readable one of a folder), its settings, history and tensors checked against each other
// before any of it is used, the settings the run goes on with (its own; only the number of
// epochs may change), and the data it must go on with (the rows it began with).

#include <optional>
#include <string>
#include <vector>

#include "scratchnet/data/fingerprint.hpp"
#include "scratchnet/io/checkpoint.hpp"
#include "scratchnet/io/model_file.hpp"
#include "scratchnet/io/safetensors.hpp"
#include "scratchnet/training/settings.hpp"
#include "scratchnet/training/trainer.hpp"

namespace scratchnet::training {

/// A checkpoint to go on from, read once and checked.
struct Resumable {
  std::string named;         // what the caller named: the file, or the folder it was found in
  std::string path;          // the checkpoint file
  io::SafetensorsFile file;  // its contents, which restoring the run reads from
  io::ModelDescription description;
  io::CheckpointState state;
  TrainSettings settings;  // the settings the run began with
  std::vector<EpochMetrics> history;
};

/// The checkpoint file at `path`, read and checked: its model description, training state,
/// settings (TrainSettings::from_json) and history (history_from_json) each valid, its best
/// epoch not after its epoch, and every tensor in the precision of its settings' dtype. Throws
/// io::FormatError "PATH: metadata 'KEY': problem" (or read_safetensors's errors).
Resumable read_resumable(const std::string& path);

/// What `path_or_folder` names to resume: the checkpoint file itself, or the newest checkpoint
/// of the folder that read_resumable accepts. A newer one it refuses is skipped, adding to
/// `warnings` "checkpoint PATH is unreadable (REASON); using PATH2". Throws read_resumable's
/// errors for a file, std::runtime_error "FOLDER: no readable checkpoint" when none is.
Resumable find_resumable(const std::string& path_or_folder, std::vector<std::string>& warnings);

/// The settings a resumed run goes on with: the ones it began with, but for `epochs` when
/// given. Throws SettingError "epochs" ("must be more than the run's --warmup of 3 epochs",
/// settings named by `name`) when they leave no epoch after the run's warm-up.
TrainSettings continued_settings(const Resumable& run, std::optional<int> epochs, SettingName name);

/// Throws SettingError "data" ("not the data the run in ck/ was trained on (150 rows, 4
/// features; this data has as many, with other values)") unless `data` is the fingerprint of
/// the rows `run` was trained on.
void require_same_data(const Resumable& run, const data::DataFingerprint& data);

}  // namespace scratchnet::training
