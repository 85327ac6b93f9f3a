#pragma once
// An Evaluation as JSON: the keys `eval --json` prints, which `train --json` and a trained
// model's "training" metadata repeat under "test".

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "scratchnet/training/trainer.hpp"

namespace scratchnet::training {

/// {"loss", "accuracy", "confusion", "classes", "precision", "recall", "f1"} for classification,
/// {"loss", "mse", "mae", "r2"} for regression; NaN becomes null.
nlohmann::json evaluation_json(const Evaluation& evaluation,
                               const std::vector<std::string>& classes);

/// `value`, or null when it is NaN (JSON has no NaN).
nlohmann::json number_or_null(double value);

}  // namespace scratchnet::training
