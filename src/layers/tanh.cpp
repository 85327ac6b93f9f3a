#include "scratchnet/layers/tanh.hpp"

namespace scratchnet {

// y = tanh(x)
template <typename T>
ConstMatrixView<T> Tanh<T>::forward(ConstMatrixView<T> input) {
  output_.reshape(input.rows(), input.cols()) = input.array().tanh().matrix();
  return output_.const_view();
}

// dx = dy ⊙ (1 − y²)
template <typename T>
ConstMatrixView<T> Tanh<T>::backward(ConstMatrixView<T> doutput) {
  dinput_.reshape(doutput.rows(), doutput.cols()) =
      (doutput.array() * (T(1) - output_.view().array().square())).matrix();
  return dinput_.const_view();
}

template class Tanh<float>;
template class Tanh<double>;

}  // namespace scratchnet
