#include "scratchnet/report/run_summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "scratchnet/optimizers/adam.hpp"
#include "scratchnet/optimizers/adamw.hpp"
#include "scratchnet/optimizers/rmsprop.hpp"
#include "scratchnet/optimizers/sgd.hpp"
#include "scratchnet/text/shortest.hpp"
#include "scratchnet/training/default_learning_rates.hpp"

namespace scratchnet::report {
namespace {

// The weight decay make_optimizer leaves when the settings give none: its options' own.
double default_weight_decay(const std::string& optimizer) {
  if (optimizer == "adamw") return AdamWOptions{}.weight_decay;
  if (optimizer == "adam") return AdamOptions{}.weight_decay;
  if (optimizer == "rmsprop") return RmspropOptions{}.weight_decay;
  return SgdOptions{}.weight_decay;
}

std::string yes_no(bool value) {
  return value ? "yes" : "no";
}

}  // namespace

std::vector<std::pair<std::string, std::string>> settings_summary(
    const training::TrainSettings& settings, const io::ModelDescription& description) {
  const bool default_lr = settings.lr <= 0;
  const double lr = default_lr ? training::default_learning_rate(settings.optimizer) : settings.lr;
  const bool default_decay = settings.weight_decay < 0;
  const double decay =
      default_decay ? default_weight_decay(settings.optimizer) : settings.weight_decay;
  std::string schedule = settings.schedule;
  if (settings.schedule == "step") {
    const int step = settings.step_size > 0 ? settings.step_size : std::max(1, settings.epochs / 3);
    schedule +=
        " (every " + std::to_string(step) + " epochs, gamma " + shortest(settings.gamma) + ")";
  }
  if (settings.warmup > 0) schedule += ", " + std::to_string(settings.warmup) + " warm-up epochs";
  std::string target = "none";
  if (description.target) {
    target = "standard (mean " + shortest(description.target->mean) + ", scale " +
             shortest(description.target->scale) + ")";
  }
  return {
      {"layers", description.spec.empty() ? settings.layers : description.spec},
      {"loss", settings.loss},
      {"optimizer", settings.optimizer},
      {"learning rate", shortest(lr) + (default_lr ? " (the optimizer's default)" : "")},
      {"momentum", shortest(settings.momentum) + (settings.nesterov ? ", Nesterov" : "")},
      {"weight decay", shortest(decay) + (default_decay ? " (the optimizer's default)" : "")},
      {"schedule", schedule},
      {"gradient clipping",
       settings.clip > 0 ? "global L2 norm " + shortest(settings.clip) : "none"},
      {"batch", std::to_string(settings.batch)},
      {"epochs", std::to_string(settings.epochs)},
      {"seed", std::to_string(settings.seed)},
      {"validation split", shortest(settings.val_split)},
      {"shuffle", yes_no(settings.shuffle)},
      {"patience", settings.patience > 0 ? std::to_string(settings.patience) : "none"},
      {"dtype", settings.dtype},
      {"normalization", description.mean.empty() ? "none" : "standard"},
      {"target normalization", target},
  };
}

std::string utc_iso8601(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string duration_text(double seconds) {
  char text[64];
  if (!(seconds >= 0) || !std::isfinite(seconds)) return "–";
  if (seconds < 10) {
    std::snprintf(text, sizeof text, "%.2f s", seconds);
  } else if (seconds < 60) {
    std::snprintf(text, sizeof text, "%.1f s", seconds);
  } else {
    const long whole = std::lround(seconds);
    if (whole < 3600) {
      std::snprintf(text, sizeof text, "%ld min %02ld s", whole / 60, whole % 60);
    } else {
      std::snprintf(text, sizeof text, "%ld h %02ld min %02ld s", whole / 3600, whole / 60 % 60,
                    whole % 60);
    }
  }
  return text;
}

}  // namespace scratchnet::report
