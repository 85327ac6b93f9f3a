#pragma once
// The pieces of a training run that the command line names: the loss (ce, bce, mse, sse), the
// optimizer (sgd, adam, adamw, rmsprop) with its settings, and the learning-rate schedule.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "scratchnet/layer_spec.hpp"
#include "scratchnet/loss.hpp"
#include "scratchnet/optimizer.hpp"
#include "scratchnet/optimizers/lr_schedule.hpp"

namespace scratchnet::cli {

/// The most epochs (and warm-up, step and patience epochs) a run may have.
constexpr std::int64_t kMaxEpochs = 1'000'000;
/// The most rows a mini-batch may have.
constexpr std::int64_t kMaxBatch = 1'000'000;

/// Every setting of a training run that the model file and checkpoints record, so that a
/// resumed run continues exactly as it began.
struct TrainSettings {
  std::string layers;
  std::string loss = "ce";
  std::string optimizer = "adam";
  double lr = 0;  // 0: the optimizer's default (sgd 0.01, adam 1e-3, adamw 1e-3, rmsprop 1e-2)
  double momentum = 0;
  bool nesterov = false;
  double weight_decay = -1;  // < 0: the optimizer's default (adamw 0.01, others 0)
  std::string schedule = "constant";
  int step_size = 0;  // epochs between step decays; 0: a third of the epochs
  double gamma = 0.1;
  int warmup = 0;  // epochs of linear warm-up
  double clip = 0;
  Index batch = 64;
  int epochs = 10;
  std::uint32_t seed = 0;
  double val_split = 0.1;
  bool shuffle = true;
  int patience = 0;
  std::string dtype = "f32";
  std::string normalize;  // "standard" or "none"; empty: standard for CSV, none for images

  /// As JSON text, for model files and checkpoints.
  std::string to_json() const;
  /// From to_json() text in the metadata of the file at `path`, checked as strictly as the flags
  /// are: an object with every key of to_json() and no other, each of its JSON type and in the
  /// range its flag accepts (problem_of). Throws io::FormatError
  /// "PATH: metadata 'options': 'batch' must be a whole number from 1 to 1000000, got 0".
  static TrainSettings from_json(const std::string& text, const std::string& path);
};

/// A setting that cannot be used: the key to_json() names it by, and what is wrong, phrased to
/// follow the setting's name ("must be fewer epochs than --epochs").
struct SettingProblem {
  std::string key;
  std::string problem;
};

/// How a problem names a setting by its key: as its flag ("--batch") or as a file's key
/// ("'batch'").
using SettingName = std::string (*)(const std::string& key);

/// The flag that gives the setting `key` ("val_split": "--val-split", "shuffle": "--no-shuffle").
std::string flag_of(const std::string& key);

/// The first problem of `settings`, the one check of every setting wherever it comes from: a
/// value out of the range its flag accepts, a name that is not one of its choices, a layer spec
/// that does not parse (an empty one is left to the caller: --init may supply it), or settings
/// that do not go together (warm-up as long as the run, Nesterov without momentum). Other
/// settings are named by `name`.
std::optional<SettingProblem> problem_of(const TrainSettings& settings, SettingName name);

/// The entries of the --layers spec; a malformed spec is a FlagError quoting the entry.
std::vector<SpecEntry> parse_layers_flag(const std::string& spec);

/// The task a loss name implies: ce multiclass, bce binary, mse and sse regression.
Task task_of_loss(const std::string& loss);

/// The loss named `loss` (ce, bce, mse, sse).
template <typename T>
std::unique_ptr<Loss<T>> make_loss(const std::string& loss);

/// The optimizer `settings` names, with its settings.
template <typename T>
std::unique_ptr<Optimizer<T>> make_optimizer(const TrainSettings& settings);

/// The schedule `settings` names, in optimizer steps for `steps_per_epoch` steps an epoch.
LrSchedule make_schedule(const TrainSettings& settings, double base_lr,
                         std::int64_t steps_per_epoch);

}  // namespace scratchnet::cli
