#include "scratchnet/losses/sum_squared_error.hpp"

namespace scratchnet {
namespace {

// Σ (ŷ_i − y_i)² over `count` values, keeping each ŷ_i − y_i in `error`. Added left to right:
// for fewer than eight values that is the order numpy's sum adds them in.
template <typename T>
T sum_squared_errors(const T* prediction, const T* target, T* error, Index count) {
  T sum = 0;
  for (Index i = 0; i < count; ++i) {
    const T difference = prediction[i] - target[i];
    error[i] = difference;
    sum += difference * difference;
  }
  return sum;
}

}  // namespace

// L = Σ (ŷ − y)², row by row
template <typename T>
T SumSquaredError<T>::forward(ConstMatrixRef<T> prediction, ConstMatrixRef<T> target) {
  const Index rows = prediction.rows(), cols = prediction.cols();
  if (rows != target.rows() || cols != target.cols() || rows * cols == 0) {
    this->require_same_shape("SumSquaredError", prediction, target);  // throws, naming both
  }
  T* error = error_.reshape(rows, cols).data();
  if (prediction.outerStride() == cols && target.outerStride() == cols) {  // one run of values
    return sum_squared_errors(prediction.data(), target.data(), error, rows * cols);
  }
  T sum = 0;
  for (Index i = 0; i < rows; ++i) {
    sum += sum_squared_errors(prediction.data() + i * prediction.outerStride(),
                              target.data() + i * target.outerStride(), error + i * cols, cols);
  }
  return sum;
}

// dL/dŷ = 2 (ŷ − y)
template <typename T>
ConstMatrixView<T> SumSquaredError<T>::backward() {
  const T* error = error_.view().data();
  T* dprediction = dprediction_.reshape(error_.rows(), error_.cols()).data();
  for (Index i = 0; i < error_.rows() * error_.cols(); ++i)
    dprediction[i] = T(2) * error[i];
  return dprediction_.const_view();
}

template class SumSquaredError<float>;
template class SumSquaredError<double>;

}  // namespace scratchnet
