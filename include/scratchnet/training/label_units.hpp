#pragma once
// What a run measures on standardized regression targets, in the label's units: a model trained
// on (y − mean) / scale has its squared errors scale² times too small and its absolute errors
// scale times; R² is the same either way. With no target standardisation, values pass as they
// are. Only squared-error losses (mse, sse) are trained on standardized targets.

#include <optional>
#include <vector>

#include "scratchnet/data/target_standardization.hpp"
#include "scratchnet/training/trainer.hpp"

namespace scratchnet::training {

/// The loss and the regression metrics of `evaluation` in the label's units.
Evaluation in_label_units(Evaluation evaluation,
                          const std::optional<data::TargetStandardization>& scaling);

/// An epoch's losses and MAEs in the label's units.
EpochMetrics in_label_units(EpochMetrics metrics,
                            const std::optional<data::TargetStandardization>& scaling);

/// A batch's running loss in the label's units.
BatchProgress in_label_units(BatchProgress progress,
                             const std::optional<data::TargetStandardization>& scaling);

/// A regression model's outputs on some rows beside their targets, in the label's units.
struct OutputsAndTargets {
  std::vector<double> outputs, targets;  // one per row (the first output of each)
};

/// `model`'s outputs on the first `most_rows` rows of `data` (all when fewer), with the rows'
/// targets, both undone by `scaling` into the label's units: the points of a predicted-against-
/// true plot. The model is left in evaluation mode.
template <typename T>
OutputsAndTargets outputs_in_label_units(Sequential<T>& model, const Dataset<T>& data,
                                         const std::optional<data::TargetStandardization>& scaling,
                                         Index most_rows);

/// R² from a mean squared error over rows whose targets have population variance `variance`:
/// 1 − mse / variance; for targets that are all equal, 1 when mse is 0, else 0 (as
/// RegressionMetrics::r2 and scikit-learn give it). NaN when mse is NaN.
double r2_of_mean_squared_error(double mse, double variance);

}  // namespace scratchnet::training
