#pragma once
// What a training report's summary says about a run besides its results: every setting, with
// the value the run used where the setting left it to a default (the optimizer's learning rate
// and weight decay, the step schedule's step, the normalisations the data got), and when it
// ran and for how long.

#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "scratchnet/io/model_file.hpp"
#include "scratchnet/training/settings.hpp"

namespace scratchnet::report {

/// Summary rows, one per setting of `settings`, in the order of TrainSettings: "lr" 0.001 (the
/// optimizer's default) rather than 0, "weight decay" 0.01 for adamw rather than −1,
/// "normalization" and "target normalization" as `description` (the model the run made) has
/// them: "standard", or "none".
std::vector<std::pair<std::string, std::string>> settings_summary(
    const training::TrainSettings& settings, const io::ModelDescription& description);

/// `time` in UTC as ISO 8601 to the second: "2026-12-07T09:30:12Z".
std::string utc_iso8601(std::chrono::system_clock::time_point time);

/// A wall-clock duration as people read it: "0.42 s", "12.3 s", "2 min 03 s", "1 h 02 min 03 s".
std::string duration_text(double seconds);

}  // namespace scratchnet::report
