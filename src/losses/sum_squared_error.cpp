#include "scratchnet/losses/sum_squared_error.hpp"

#include <stdexcept>

namespace scratchnet {

// L = Σ (ŷ − y)²
template <typename T>
T SumSquaredError<T>::forward(const Matrix<T>& prediction, const Matrix<T>& target) {
  if (prediction.rows() != target.rows() || prediction.cols() != target.cols()) {
    throw std::invalid_argument("SumSquaredError: prediction and target shapes differ");
  }
  error_ = prediction - target;
  return error_.squaredNorm();
}

// dL/dŷ = 2 (ŷ − y)
template <typename T>
const Matrix<T>& SumSquaredError<T>::backward() {
  dprediction_ = T(2) * error_;
  return dprediction_;
}

template class SumSquaredError<float>;
template class SumSquaredError<double>;

}  // namespace scratchnet
