#pragma once
// Standardizing a regression target, so that a network starting from small weights and an
// optimizer's default step size reach targets of any units (a disease score of 25…346, a price
// in dollars): the mean and population standard deviation of the training rows' targets are
// fitted and stored with the model; training sees (y − mean) / scale, and every output is mapped
// back, y = output · scale + mean, before anyone reads it (predictions, MSE, MAE, R²).
//   targets [rows, 1]: one regression output

#include <span>

#include "scratchnet/matrix.hpp"

namespace scratchnet::data {

/// A regression target's mean and scale: apply() maps y to (y − mean) / scale, undo() maps a
/// model's output back to the label's units.
struct TargetStandardization {
  double mean = 0;
  /// The population standard deviation (ddof 0), or 1 for targets that are all equal.
  double scale = 1;

  /// Fitted to rows `rows` of the one-column `targets`, as Standardization::fit fits a feature
  /// column (the same bits). Throws std::invalid_argument when `targets` has other than one
  /// column or `rows` is empty, std::out_of_range for a row outside `targets`.
  static TargetStandardization fit(const Matrix<double>& targets, std::span<const Index> rows);

  /// Replaces each target y with (y − mean) / scale, as Standardization::apply does. Throws
  /// std::invalid_argument when `targets` has other than one column.
  void apply(Matrix<double>& targets) const;

  /// An output in standardized units, in the label's units.
  double undo(double output) const { return output * scale + mean; }

  bool operator==(const TargetStandardization&) const = default;
};

}  // namespace scratchnet::data
