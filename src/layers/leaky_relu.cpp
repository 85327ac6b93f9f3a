#include "scratchnet/layers/leaky_relu.hpp"

namespace scratchnet {

// y = (x > 0 ? x : a·x)
template <typename T>
const Matrix<T>& LeakyReLU<T>::forward(const Matrix<T>& input) {
  input_ = &input;
  output_ = (input.array() > T(0)).select(input, negative_slope_ * input.array());
  return output_;
}

// dx = (x > 0 ? dy : a·dy)
template <typename T>
const Matrix<T>& LeakyReLU<T>::backward(const Matrix<T>& doutput) {
  dinput_ = (input_->array() > T(0)).select(doutput, negative_slope_ * doutput.array());
  return dinput_;
}

template class LeakyReLU<float>;
template class LeakyReLU<double>;

}  // namespace scratchnet
