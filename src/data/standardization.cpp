#include "scratchnet/data/standardization.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace scratchnet::data {

Standardization Standardization::fit(const Matrix<double>& features) {
  const Index rows = features.rows(), columns = features.cols();
  if (rows == 0) throw std::invalid_argument("cannot fit a standardization to no rows");
  Standardization fitted;
  fitted.mean.assign(std::size_t(columns), 0.0);
  fitted.scale.assign(std::size_t(columns), 1.0);
  for (Index c = 0; c < columns; ++c) {
    const auto column = features.col(c);
    if ((column.array() == column(0)).all()) {  // constant: exactly its value, and scale 1
      fitted.mean[std::size_t(c)] = column(0);
      continue;
    }
    // Two passes: the mean, then the squared deviations from it. The sum of the deviations,
    // zero in exact arithmetic, corrects for the rounding of the mean (Chan, Golub and LeVeque's
    // corrected two-pass algorithm): var = (Σd² − (Σd)² / n) / n.
    const double n = double(rows);
    const double mean = column.sum() / n;
    double sum = 0, sum_squares = 0;
    for (Index r = 0; r < rows; ++r) {
      const double deviation = column(r) - mean;
      sum += deviation;
      sum_squares += deviation * deviation;
    }
    const double variance = (sum_squares - sum * sum / n) / n;
    fitted.mean[std::size_t(c)] = mean;
    fitted.scale[std::size_t(c)] = variance > 0 ? std::sqrt(variance) : 1.0;
  }
  return fitted;
}

void Standardization::apply(Matrix<double>& features) const {
  if (std::size_t(features.cols()) != mean.size() || scale.size() != mean.size()) {
    throw std::invalid_argument("standardization was fitted to " + std::to_string(mean.size()) +
                                " columns, the features have " + std::to_string(features.cols()));
  }
  for (Index c = 0; c < features.cols(); ++c) {
    const double m = mean[std::size_t(c)], s = scale[std::size_t(c)];
    features.col(c) = (features.col(c).array() - m) / s;
  }
}

}  // namespace scratchnet::data
