#pragma once
// An Evaluation as people read it (loss, accuracy, confusion matrix, per-class precision,
// recall and F1; or MSE, MAE and R²) and as JSON (the library's evaluation_json, whose keys
// `eval --json` prints and `train --json` repeats under "test").

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "scratchnet/training/evaluation_json.hpp"
#include "scratchnet/training/trainer.hpp"

namespace scratchnet::cli {

// The library's JSON of an evaluation, which eval and train print.
using training::evaluation_json;
using training::number_or_null;

/// An Evaluation as text: evaluation_json's values, a table for the confusion matrix.
void print_evaluation(std::ostream& out, const Evaluation& evaluation,
                      const std::vector<std::string>& classes);

}  // namespace scratchnet::cli
