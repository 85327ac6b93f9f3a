#include "scratchnet/data/standardization.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

namespace scratchnet::data {

namespace {

// The fit over `rows` rows of `features`, the i-th being features.row(row_of(i)): the rows a
// caller chooses are read where they are, not copied.
template <typename RowOf>
Standardization fit_rows(const Matrix<double>& features, Index rows, RowOf row_of) {
  const Index columns = features.cols();
  if (rows == 0) throw std::invalid_argument("cannot fit a standardization to no rows");
  Standardization fitted;
  fitted.mean.assign(std::size_t(columns), 0.0);
  fitted.scale.assign(std::size_t(columns), 1.0);
  for (Index c = 0; c < columns; ++c) {
    const auto column = [&](Index i) { return features(row_of(i), c); };
    double largest = 0;
    bool constant = true;
    for (Index r = 0; r < rows; ++r) {
      largest = std::max(largest, std::abs(column(r)));
      constant = constant && column(r) == column(0);
    }
    if (constant) {  // exactly its value, and scale 1
      fitted.mean[std::size_t(c)] = column(0);
      continue;
    }
    // Finite values up to ±1.8e308 must not overflow: the sums run over the column scaled by a
    // power of two that brings its largest magnitude into [0.5, 1). That scaling is exact, and
    // so commutes with every rounding below: a column of ordinary values gets the same bits as
    // without it.
    int exponent = 0;
    std::frexp(largest, &exponent);
    const auto scaled = [&](Index r) { return std::ldexp(column(r), -exponent); };
    // Two passes: the mean, then the squared deviations from it. The sum of the deviations,
    // zero in exact arithmetic, corrects for the rounding of the mean (Chan, Golub and LeVeque's
    // corrected two-pass algorithm): var = (Σd² − (Σd)² / n) / n.
    const double n = double(rows);
    double total = 0;
    for (Index r = 0; r < rows; ++r)
      total += scaled(r);
    const double mean = total / n;
    double sum = 0, sum_squares = 0;
    for (Index r = 0; r < rows; ++r) {
      const double deviation = scaled(r) - mean;
      sum += deviation;
      sum_squares += deviation * deviation;
    }
    const double variance = (sum_squares - sum * sum / n) / n;
    const double scale = std::ldexp(std::sqrt(variance), exponent);
    fitted.mean[std::size_t(c)] = std::ldexp(mean, exponent);
    // A spread too small to divide by (it underflows to 0 or a subnormal) maps as a constant.
    fitted.scale[std::size_t(c)] =
        variance > 0 && scale >= std::numeric_limits<double>::min() ? scale : 1.0;
  }
  return fitted;
}

}  // namespace

Standardization Standardization::fit(const Matrix<double>& features) {
  return fit_rows(features, features.rows(), [](Index i) { return i; });
}

Standardization Standardization::fit(const Matrix<double>& features, std::span<const Index> rows) {
  for (const Index row : rows) {
    if (row < 0 || row >= features.rows()) {
      throw std::out_of_range("row " + std::to_string(row) + " is outside 0.." +
                              std::to_string(features.rows() - 1));
    }
  }
  return fit_rows(features, Index(rows.size()), [&](Index i) { return rows[std::size_t(i)]; });
}

void Standardization::apply(Matrix<double>& features) const {
  if (std::size_t(features.cols()) != mean.size() || scale.size() != mean.size()) {
    throw std::invalid_argument("standardization was fitted to " + std::to_string(mean.size()) +
                                " columns, the features have " + std::to_string(features.cols()));
  }
  for (Index c = 0; c < features.cols(); ++c) {
    const double m = mean[std::size_t(c)], s = scale[std::size_t(c)];
    for (Index r = 0; r < features.rows(); ++r) {
      double& x = features(r, c);
      const double standard = (x - m) / s;
      // x − m overflows when x and m are far apart near the largest double; dividing first
      // keeps the result finite whenever it is representable.
      x = std::isfinite(standard) || !std::isfinite(x) ? standard : x / s - m / s;
    }
  }
}

}  // namespace scratchnet::data
