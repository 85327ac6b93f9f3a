#pragma once
// Checkpoints: everything a training run needs to continue exactly where it stopped, one
// safetensors file per epoch in a folder, "checkpoint-epoch-0003.safetensors". A checkpoint is a
// model file (model_file.hpp) — same tensors, same metadata, so `load_model` and `info` read it
// as they read a model — plus
//   tensors   "optimizer.<state name>": each optimizer state buffer (exp_avg, exp_avg_sq,
//             momentum_buffer, …) as a flat vector laid out as the model's parameters, in the
//             model's dtype
//   metadata  "checkpoint" "2" (what marks the file as one, and its version), "run_id" (32
//             lowercase hex digits, the same in every checkpoint of one run), "data" (JSON
//             {"rows", "features", "hash"}: the fingerprint of the training rows, the hash as 16
//             hex digits), "epoch" "3", "random_state"
//             (Random::state() text), "optimizer" (its torch name, "Adam"), "optimizer_steps",
//             "learning_rate" (shortest round-trip decimal), "options" (the training command's
//             settings, JSON text), "history" (per-epoch metrics so far, JSON text), and for a
//             checkpoint saved inside an epoch (a run stopped by a signal) "inside_epoch": JSON
//             {"batches_done", "start_random_state", "weighted_loss", "correct", "predictions",
//             "absolute_error" (regression; may be missing in older files),
//             "seconds"}, the trainer's EpochProgress for epoch "epoch" + 1; such a file is named
//             "checkpoint-epoch-0003-batch-000017.safetensors" (epoch 3 and 17 batches done);
//             once an epoch has been validated, "best_epoch": JSON {"epoch", "val_loss",
//             "epochs_since"}, early stopping's memory (the trainer's BestEpoch)
//   tensor    "trainer.best_weights", with patience and restore_best: the best epoch's state as
//             a flat vector, its parameters laid out as the model's, then its floating buffers
//             (running statistics); files written before the buffers were kept have the
//             parameters alone, and are read too
// The model's buffers (Sequential::named_buffers(), running statistics) are saved with its
// parameters as model files save them, and restored on resume; optimizer state covers the
// parameters only, since buffers are never trained.
// Restoring the parameters and buffers, the optimizer's state, step count and learning rate, and
// the generator's state continues a run bit for bit: the same weights as a run never interrupted.

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <vector>

#include "scratchnet/data/fingerprint.hpp"
#include "scratchnet/io/metadata_json.hpp"
#include "scratchnet/io/model_file.hpp"
#include "scratchnet/optimizers/optimizer.hpp"
#include "scratchnet/training/trainer.hpp"

namespace scratchnet::io {

/// The bounds of a checkpoint's "options" and "history" texts (parse_metadata_json): a history
/// holds 8 values for each of up to a million epochs.
inline constexpr MetadataJsonLimits kHistoryLimits{
    .max_depth = 32, .max_string_bytes = 65'536, .max_values = 10'000'000};

/// Where a training run stands at the end of an epoch, besides the model and optimizer buffers.
struct CheckpointState {
  std::string run_id;                // new_run_id() of the run; one run's checkpoints share it
  data::DataFingerprint data;        // the rows the run trains on
  int epoch = 0;                     // epochs completed
  std::string random_state;          // Random::state(); "" for none
  std::int64_t optimizer_steps = 0;  // Optimizer::steps()
  double learning_rate = 0;          // Optimizer::learning_rate()
  std::string optimizer;             // Optimizer::name(): "SGD", "Adam", "AdamW", "RMSprop"
  std::string options_json;          // the training command's settings, free-form JSON text
  std::string history_json;          // per-epoch metrics so far, free-form JSON text
  /// Set for a checkpoint inside epoch `epoch` + 1; its random_state is the one above.
  std::optional<EpochProgress> inside_epoch;
  BestEpoch best_epoch;  // early stopping's memory; its epoch is 0 before any validation
  bool operator==(const CheckpointState&) const = default;
};

/// The file name of the checkpoint after `epoch` epochs and `batches_done` batches of the next:
/// "checkpoint-epoch-0003.safetensors" (at least four digits), or inside an epoch
/// "checkpoint-epoch-0003-batch-000017.safetensors".
std::string checkpoint_file_name(int epoch, Index batches_done = 0);

/// A fresh run id: 128 bits from std::random_device as 32 lowercase hex digits. Never drawn from
/// a training generator, so that giving a run an identity changes none of its numbers.
std::string new_run_id();

/// Whether `text` is a run id: 32 lowercase hex digits.
bool is_run_id(const std::string& text);

/// The run id in the header of the checkpoint at `path` (only the header is read), or "" when the
/// file cannot be read or names none.
std::string checkpoint_run_id(const std::string& path);

/// The checkpoints of `folder` (list_checkpoints) that are not of run `run_id`, those whose
/// header cannot be read included; latest first.
std::vector<std::string> other_runs_checkpoints(const std::string& folder,
                                                const std::string& run_id);

/// Removes other_runs_checkpoints(folder, run_id), for a run told to replace them; a file that
/// cannot be removed is left. Returns how many it removed.
int remove_other_runs_checkpoints(const std::string& folder, const std::string& run_id);

/// Writes `folder`/checkpoint_file_name(state.epoch) atomically (creating the folder if needed):
/// the model's tensors and description as save_model writes them, the optimizer's state
/// buffers, `state`, and `best_weights` (Trainer::best_weights(); empty: none). The optimizer's
/// name, steps and learning rate are written as `optimizer` reports them (state's copies of them
/// are not used). Only once the new file is in place, removes older checkpoints of the same run
/// (state.run_id) so that the `keep` of highest epoch remain (never the one just written; a file
/// that cannot be removed is left); another run's files are never touched. Returns the new file's
/// path. Throws std::invalid_argument, writing nothing, for a NaN or infinite parameter, a
/// description that does not fit the model (see save_model), best weights that are not one finite
/// value per parameter, epoch < 0, keep < 1, a run_id that is_run_id refuses, a data fingerprint
/// without rows or features, a random_state that Random::restore refuses, or options/history text
/// that is not JSON; std::runtime_error when the folder or file cannot be written.
template <typename T>
std::string save_checkpoint(const std::string& folder, Sequential<T>& model,
                            Optimizer<T>& optimizer, const ModelDescription& description,
                            const CheckpointState& state,
                            std::type_identity_t<std::span<const T>> best_weights = {},
                            int keep = 3);

/// The paths of the checkpoint-epoch-N[-batch-B].safetensors files in `folder`, latest first;
/// empty when the folder does not exist. Throws std::runtime_error if it cannot be read.
std::vector<std::string> list_checkpoints(const std::string& folder);

/// The CheckpointState in a checkpoint's `metadata`; throws FormatError "PATH: metadata 'KEY':
/// problem" when a key is missing or its value is not what the key holds.
CheckpointState read_checkpoint_state(const std::map<std::string, std::string>& metadata,
                                      const std::string& path);

/// Restores a checkpoint into `model` (which must have the checkpoint's tensors and shapes) and
/// `optimizer` (which must be of the checkpoint's kind and keep the same state buffers): its
/// parameters and buffers, the optimizer's state buffers (allocate_state, then each assigned),
/// steps and learning rate; fills `description` and `best_weights` (when given: the checkpoint's
/// best-epoch weights, or empty when it has none) and returns the state (restore your Random from
/// its random_state). `path_or_folder` is a checkpoint file, or a folder: then its newest
/// checkpoint that loads, each newer one that does not adding to `warnings` the line
///   "checkpoint PATH is unreadable (REASON); using PATH2".
/// A file is checked whole before anything is changed: on an error, model, optimizer and
/// description are as they were (but for an optimizer's first, zeroed allocate_state).
/// Throws what read_safetensors and load_model throw for a file, and std::runtime_error naming
/// the folder when it holds no checkpoint that loads.
template <typename T>
CheckpointState load_checkpoint(const std::string& path_or_folder, Sequential<T>& model,
                                Optimizer<T>& optimizer, ModelDescription& description,
                                std::vector<std::string>& warnings,
                                std::vector<T>* best_weights = nullptr);

/// Restores the checkpoint `file`, already read from `path` (named in errors), as
/// load_checkpoint restores a checkpoint file: for a caller that has read and checked the file
/// itself (train --resume), so that it is read once.
template <typename T>
CheckpointState load_checkpoint(const SafetensorsFile& file, const std::string& path,
                                Sequential<T>& model, Optimizer<T>& optimizer,
                                ModelDescription& description,
                                std::vector<T>* best_weights = nullptr);

}  // namespace scratchnet::io
