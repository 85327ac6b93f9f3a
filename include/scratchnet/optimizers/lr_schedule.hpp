#pragma once
// Learning-rate schedules as pure functions of the optimizer step index t = 0, 1, 2, … (the rate
// of the t-th step(): optimizer.set_learning_rate(schedule.at(t)) before it). With a linear
// warm-up of W steps (W = 0 by default), and t' = t − W after it:
//   warm-up, t < W:  lr = base·(t + 1)/W           reaches base at t = W − 1
//   constant:        lr = base
//   step:            lr = base·γ^⌊t'/step_size⌋     torch StepLR's closed form
//   cosine, t' < T:  lr = min + (base − min)·(1 + cos(π·t'/T))/2
//   cosine, t' ≥ T:  lr = min
// The cosine is torch CosineAnnealingLR's closed form with T_max = T = total_steps, counted after
// the warm-up; torch's would rise again after T, this one holds min. Closed forms rather than
// torch's step-by-step products, so any step's rate is one call, as a resumed run needs.

#include <cstdint>

namespace scratchnet {

/// A learning-rate schedule; make one with constant(), step() or cosine(), then with_warmup().
struct LrSchedule {
  /// The shape after warm-up, as the file's top comment gives it.
  enum class Kind { constant, step, cosine };

  Kind kind = Kind::constant;
  double base_lr = 0;             // the rate warm-up ramps up to and the schedule starts from
  std::int64_t step_size = 1;     // step: steps between decays
  double gamma = 1;               // step: the decay factor
  std::int64_t total_steps = 1;   // cosine: T, steps from base_lr down to min_lr after warm-up
  double min_lr = 0;              // cosine: the rate at and after T
  std::int64_t warmup_steps = 0;  // W: steps of the linear ramp before the schedule starts

  /// base_lr at every step.
  static LrSchedule constant(double base_lr);
  /// base_lr·gamma^⌊t/step_size⌋, torch.optim.lr_scheduler.StepLR.
  static LrSchedule step(double base_lr, std::int64_t step_size, double gamma);
  /// base_lr down to min_lr over total_steps along a half cosine, then min_lr.
  static LrSchedule cosine(double base_lr, std::int64_t total_steps, double min_lr);

  /// This schedule after a linear warm-up over `warmup_steps` steps.
  LrSchedule with_warmup(std::int64_t warmup_steps) const;

  /// Throws std::invalid_argument unless the rates are finite and >= 0, step_size >= 1,
  /// gamma > 0 and finite, total_steps >= 1 and warmup_steps >= 0.
  void validate() const;

  /// The learning rate of step t >= 0; validates first.
  double at(std::int64_t t) const;
};

}  // namespace scratchnet
