#include "scratchnet/layers/sigmoid.hpp"

namespace scratchnet {

// y = 1 / (1 + e^(−x)), written as the seed writes it so float64 results match numpy's.
template <typename T>
const Matrix<T>& Sigmoid<T>::forward(const Matrix<T>& input) {
  output_ = (T(1) / (T(1) + (-input.array()).exp())).matrix();
  return output_;
}

// dx = dy ⊙ y(1 − y)
template <typename T>
const Matrix<T>& Sigmoid<T>::backward(const Matrix<T>& doutput) {
  dinput_ = (doutput.array() * (output_.array() * (T(1) - output_.array()))).matrix();
  return dinput_;
}

template class Sigmoid<float>;
template class Sigmoid<double>;

}  // namespace scratchnet
