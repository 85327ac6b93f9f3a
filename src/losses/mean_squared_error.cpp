#include "scratchnet/losses/mean_squared_error.hpp"

#include <stdexcept>
#include <string>

namespace scratchnet {

// L = (1/N) Σ (ŷ − y)²
template <typename T>
T MeanSquaredError<T>::forward(const Matrix<T>& prediction, const Matrix<T>& target) {
  if (prediction.rows() != target.rows() || prediction.cols() != target.cols()) {
    throw std::invalid_argument(
        "MeanSquaredError: prediction is " + std::to_string(prediction.rows()) + "x" +
        std::to_string(prediction.cols()) + " but target is " + std::to_string(target.rows()) +
        "x" + std::to_string(target.cols()));
  }
  if (prediction.size() == 0) throw std::invalid_argument("MeanSquaredError: empty batch");
  error_ = prediction - target;
  return error_.squaredNorm() / T(error_.size());
}

// dL/dŷ = 2 (ŷ − y) / N
template <typename T>
const Matrix<T>& MeanSquaredError<T>::backward() {
  dprediction_ = (T(2) / T(error_.size())) * error_;
  return dprediction_;
}

template class MeanSquaredError<float>;
template class MeanSquaredError<double>;

}  // namespace scratchnet
