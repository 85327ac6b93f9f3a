#pragma once
// The pieces of a training run that its settings name: the loss (ce, bce, mse, sse), the
// optimizer (sgd, adam, adamw, rmsprop) with its settings, and the learning-rate schedule.

#include <cstdint>
#include <memory>
#include <string>

#include "scratchnet/losses/loss.hpp"
#include "scratchnet/optimizers/lr_schedule.hpp"
#include "scratchnet/optimizers/optimizer.hpp"
#include "scratchnet/training/settings.hpp"

namespace scratchnet::training {

/// The task a loss name implies: ce multiclass, bce binary, mse and sse regression.
Task task_of_loss(const std::string& loss);

/// The loss named `loss` (ce, bce, mse, sse); throws std::invalid_argument for another name.
template <typename T>
std::unique_ptr<Loss<T>> make_loss(const std::string& loss);

/// The optimizer `settings` names, with its settings (an lr of 0 and a negative weight decay
/// taking the optimizer's defaults); throws std::invalid_argument for an unknown optimizer.
template <typename T>
std::unique_ptr<Optimizer<T>> make_optimizer(const TrainSettings& settings);

/// The schedule `settings` names, in optimizer steps for `steps_per_epoch` steps an epoch.
LrSchedule make_schedule(const TrainSettings& settings, double base_lr,
                         std::int64_t steps_per_epoch);

}  // namespace scratchnet::training
