#include "scratchnet/optimizers/lr_schedule.hpp"

#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

namespace scratchnet {
namespace {

void require(bool condition, const char* message) {
  if (!condition) throw std::invalid_argument(std::string("learning-rate schedule: ") + message);
}

}  // namespace

LrSchedule LrSchedule::constant(double base_lr) {
  LrSchedule schedule;
  schedule.base_lr = base_lr;
  schedule.validate();
  return schedule;
}

LrSchedule LrSchedule::step(double base_lr, std::int64_t step_size, double gamma) {
  LrSchedule schedule;
  schedule.kind = Kind::step;
  schedule.base_lr = base_lr;
  schedule.step_size = step_size;
  schedule.gamma = gamma;
  schedule.validate();
  return schedule;
}

LrSchedule LrSchedule::cosine(double base_lr, std::int64_t total_steps, double min_lr) {
  LrSchedule schedule;
  schedule.kind = Kind::cosine;
  schedule.base_lr = base_lr;
  schedule.total_steps = total_steps;
  schedule.min_lr = min_lr;
  schedule.validate();
  return schedule;
}

LrSchedule LrSchedule::with_warmup(std::int64_t warmup) const {
  LrSchedule schedule = *this;
  schedule.warmup_steps = warmup;
  schedule.validate();
  return schedule;
}

void LrSchedule::validate() const {
  require(std::isfinite(base_lr) && base_lr >= 0, "base_lr must be a finite number >= 0");
  require(std::isfinite(min_lr) && min_lr >= 0, "min_lr must be a finite number >= 0");
  require(step_size >= 1, "step_size must be at least 1");
  require(std::isfinite(gamma) && gamma > 0, "gamma must be a finite number > 0");
  require(total_steps >= 1, "total_steps must be at least 1");
  require(warmup_steps >= 0, "warmup_steps must be >= 0");
}

// Each expression in the order torch's closed forms (and the fixture script) evaluate it.
double LrSchedule::at(std::int64_t t) const {
  validate();
  require(t >= 0, "the step index must be >= 0");
  if (t < warmup_steps) return base_lr * double(t + 1) / double(warmup_steps);
  t -= warmup_steps;
  switch (kind) {
    case Kind::constant:
      return base_lr;
    case Kind::step:
      return base_lr * std::pow(gamma, double(t / step_size));
    case Kind::cosine:
      if (t >= total_steps) return min_lr;
      return min_lr + (base_lr - min_lr) *
                          (1 + std::cos(std::numbers::pi * double(t) / double(total_steps))) / 2;
  }
  throw std::invalid_argument("learning-rate schedule: unknown kind");
}

}  // namespace scratchnet
