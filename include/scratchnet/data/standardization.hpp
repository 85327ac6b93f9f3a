#pragma once
// Standardizing features column by column, as scikit-learn's StandardScaler does: the mean and
// the population standard deviation (ddof 0, numpy's std) are fitted on the training rows and
// stored, then applied to any rows.
//   features [rows, features]; mean and scale hold one value per feature column

#include <span>
#include <vector>

#include "scratchnet/matrix.hpp"

namespace scratchnet::data {

/// Each feature column's mean and scale: apply() maps x to (x − mean) / scale.
struct Standardization {
  /// The mean of each column.
  std::vector<double> mean;
  /// The population standard deviation of each column, or 1 for a constant column.
  std::vector<double> scale;

  /// The mean and population standard deviation (ddof 0) of each column of `features`, by two
  /// passes (the mean, then the squared deviations from it with a compensating term), so that
  /// columns far from zero keep their precision, over the column scaled exactly by a power of
  /// two, so that any finite values (up to ±1.8e308, down to subnormals) neither overflow nor
  /// underflow. A constant column, or one whose spread is below the smallest normal double,
  /// gets scale 1 (a constant column also its value as mean: it maps to 0). Throws
  /// std::invalid_argument when `features` has no rows.
  static Standardization fit(const Matrix<double>& features);

  /// The same fitted to the rows `rows` of `features` only (in that order), read in place rather
  /// than copied: the same bits as fit() of those rows gathered into a matrix. Throws
  /// std::out_of_range for a row outside `features`, std::invalid_argument for no rows.
  static Standardization fit(const Matrix<double>& features, std::span<const Index> rows);

  /// Replaces each value x with (x − mean) / scale of its column (as x / scale − mean / scale
  /// where x − mean would overflow). Throws std::invalid_argument
  /// when `features` does not have mean.size() columns.
  void apply(Matrix<double>& features) const;
};

}  // namespace scratchnet::data
