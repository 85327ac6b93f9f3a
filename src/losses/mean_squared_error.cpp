#include "scratchnet/losses/mean_squared_error.hpp"

#include <stdexcept>
#include <string>

namespace scratchnet {

// L = (1/N) Σ (ŷ − y)²
template <typename T>
T MeanSquaredError<T>::forward(ConstMatrixRef<T> prediction, ConstMatrixRef<T> target) {
  this->require_same_shape("MeanSquaredError", prediction, target);
  auto error = error_.reshape(prediction.rows(), prediction.cols());
  error = prediction - target;
  return error.squaredNorm() / T(this->mean_rows(error.rows()) * error.cols());
}

// dL/dŷ = 2 (ŷ − y) / N
template <typename T>
ConstMatrixView<T> MeanSquaredError<T>::backward() {
  const auto error = error_.view();
  const T count = T(this->mean_rows(error.rows()) * error.cols());
  dprediction_.reshape(error.rows(), error.cols()) = (T(2) / count) * error;
  return dprediction_.const_view();
}

template class MeanSquaredError<float>;
template class MeanSquaredError<double>;

}  // namespace scratchnet
