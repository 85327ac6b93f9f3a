#pragma once
// An Evaluation as people read it (loss, accuracy, confusion matrix, per-class precision,
// recall and F1; or MSE, MAE and R²) and as JSON (the keys `eval --json` prints, which
// `train --json` repeats under "test").

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "scratchnet/trainer.hpp"

namespace scratchnet::cli {

/// {"loss", "accuracy", "confusion", "classes", "precision", "recall", "f1"} for classification,
/// {"loss", "mse", "mae", "r2"} for regression; NaN becomes null.
nlohmann::json evaluation_json(const Evaluation& evaluation,
                               const std::vector<std::string>& classes);

/// The same as text, a table for the confusion matrix.
void print_evaluation(std::ostream& out, const Evaluation& evaluation,
                      const std::vector<std::string>& classes);

/// `value`, or null when it is NaN (JSON has no NaN).
nlohmann::json number_or_null(double value);

}  // namespace scratchnet::cli
