#include "scratchnet/losses/sum_squared_error.hpp"

#include <stdexcept>

namespace scratchnet {

// L = Σ (ŷ − y)²
template <typename T>
T SumSquaredError<T>::forward(ConstMatrixRef<T> prediction, ConstMatrixRef<T> target) {
  this->require_same_shape("SumSquaredError", prediction, target);
  auto error = error_.reshape(prediction.rows(), prediction.cols());
  error = prediction - target;
  return error.squaredNorm();
}

// dL/dŷ = 2 (ŷ − y)
template <typename T>
ConstMatrixView<T> SumSquaredError<T>::backward() {
  const auto error = error_.view();
  dprediction_.reshape(error.rows(), error.cols()) = T(2) * error;
  return dprediction_.const_view();
}

template class SumSquaredError<float>;
template class SumSquaredError<double>;

}  // namespace scratchnet
