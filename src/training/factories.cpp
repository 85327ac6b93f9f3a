#include "scratchnet/training/factories.hpp"

#include <algorithm>
#include <stdexcept>

#include "scratchnet/losses/binary_cross_entropy_with_logits.hpp"
#include "scratchnet/losses/mean_squared_error.hpp"
#include "scratchnet/losses/softmax_cross_entropy.hpp"
#include "scratchnet/losses/sum_squared_error.hpp"
#include "scratchnet/optimizers/adam.hpp"
#include "scratchnet/optimizers/adamw.hpp"
#include "scratchnet/optimizers/rmsprop.hpp"
#include "scratchnet/optimizers/sgd.hpp"
#include "scratchnet/training/default_learning_rates.hpp"

namespace scratchnet::training {

Task task_of_loss(const std::string& loss) {
  if (loss == "ce") return Task::multiclass;
  if (loss == "bce") return Task::binary;
  return Task::regression;
}

template <typename T>
std::unique_ptr<Loss<T>> make_loss(const std::string& loss) {
  if (loss == "ce") return std::make_unique<SoftmaxCrossEntropy<T>>();
  if (loss == "bce") return std::make_unique<BinaryCrossEntropyWithLogits<T>>();
  if (loss == "mse") return std::make_unique<MeanSquaredError<T>>();
  if (loss == "sse") return std::make_unique<SumSquaredError<T>>();
  throw std::invalid_argument("unknown loss '" + loss + "'");
}

template <typename T>
std::unique_ptr<Optimizer<T>> make_optimizer(const TrainSettings& settings) {
  const double lr = settings.lr > 0 ? settings.lr : default_learning_rate(settings.optimizer);
  // A weight decay below 0 leaves the optimizer's own default (its options' initial value).
  const auto set_decay = [&settings](double& weight_decay) {
    if (settings.weight_decay >= 0) weight_decay = settings.weight_decay;
  };
  if (settings.optimizer == "sgd") {
    SgdOptions options;
    options.lr = lr;
    options.momentum = settings.momentum;
    options.nesterov = settings.nesterov;
    set_decay(options.weight_decay);
    return std::make_unique<Sgd<T>>(options);
  }
  if (settings.optimizer == "adam") {
    AdamOptions options{.lr = lr};
    set_decay(options.weight_decay);
    return std::make_unique<Adam<T>>(options);
  }
  if (settings.optimizer == "adamw") {
    AdamWOptions options{.lr = lr};
    set_decay(options.weight_decay);
    return std::make_unique<AdamW<T>>(options);
  }
  if (settings.optimizer == "rmsprop") {
    RmspropOptions options;
    options.lr = lr;
    options.momentum = settings.momentum;
    set_decay(options.weight_decay);
    return std::make_unique<Rmsprop<T>>(options);
  }
  throw std::invalid_argument("unknown optimizer '" + settings.optimizer + "'");
}

LrSchedule make_schedule(const TrainSettings& settings, double base_lr,
                         std::int64_t steps_per_epoch) {
  const std::int64_t warmup = std::int64_t(settings.warmup) * steps_per_epoch;
  const std::int64_t after_warmup =
      std::max<std::int64_t>(1, std::int64_t(settings.epochs - settings.warmup) * steps_per_epoch);
  LrSchedule schedule = LrSchedule::constant(base_lr);
  if (settings.schedule == "step") {
    const int epochs_per_step =
        settings.step_size > 0 ? settings.step_size : std::max(1, settings.epochs / 3);
    schedule = LrSchedule::step(base_lr, epochs_per_step * steps_per_epoch, settings.gamma);
  } else if (settings.schedule == "cosine") {
    schedule = LrSchedule::cosine(base_lr, after_warmup, /*min_lr=*/0);
  }
  return schedule.with_warmup(warmup);
}

template std::unique_ptr<Loss<float>> make_loss<float>(const std::string&);
template std::unique_ptr<Loss<double>> make_loss<double>(const std::string&);
template std::unique_ptr<Optimizer<float>> make_optimizer<float>(const TrainSettings&);
template std::unique_ptr<Optimizer<double>> make_optimizer<double>(const TrainSettings&);

}  // namespace scratchnet::training
