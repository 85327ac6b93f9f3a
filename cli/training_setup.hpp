#pragma once
// The pieces of a training run that the command line names: the loss (ce, bce, mse, sse), the
// optimizer (sgd, adam, adamw, rmsprop) with its settings, and the learning-rate schedule.

#include <memory>
#include <string>

#include "scratchnet/layer_spec.hpp"
#include "scratchnet/loss.hpp"
#include "scratchnet/optimizer.hpp"
#include "scratchnet/optimizers/lr_schedule.hpp"

namespace scratchnet::cli {

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
  /// From to_json() text; throws std::runtime_error when it is not one.
  static TrainSettings from_json(const std::string& text);
};

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
