#include "scratchnet/layers/sigmoid.hpp"

namespace scratchnet {

// y = 1 / (1 + e^(−x)), written as the seed writes it so float64 results match numpy's.
template <typename T>
ConstMatrixView<T> Sigmoid<T>::forward(ConstMatrixView<T> input) {
  output_.reshape(input.rows(), input.cols()) = (T(1) / (T(1) + (-input.array()).exp())).matrix();
  return output_.const_view();
}

// dx = dy ⊙ y(1 − y)
template <typename T>
ConstMatrixView<T> Sigmoid<T>::backward(ConstMatrixView<T> doutput) {
  const auto y = output_.view().array();
  dinput_.reshape(doutput.rows(), doutput.cols()) = (doutput.array() * (y * (T(1) - y))).matrix();
  return dinput_.const_view();
}

template class Sigmoid<float>;
template class Sigmoid<double>;

}  // namespace scratchnet
