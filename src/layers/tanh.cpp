#include "scratchnet/layers/tanh.hpp"

namespace scratchnet {

// y = tanh(x)
template <typename T>
const Matrix<T>& Tanh<T>::forward(const Matrix<T>& input) {
  output_ = input.array().tanh().matrix();
  return output_;
}

// dx = dy ⊙ (1 − y²)
template <typename T>
const Matrix<T>& Tanh<T>::backward(const Matrix<T>& doutput) {
  dinput_ = (doutput.array() * (T(1) - output_.array().square())).matrix();
  return dinput_;
}

template class Tanh<float>;
template class Tanh<double>;

}  // namespace scratchnet
