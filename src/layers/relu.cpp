#include "scratchnet/layers/relu.hpp"

namespace scratchnet {

// y = max(x, 0)
template <typename T>
ConstMatrixView<T> ReLU<T>::forward(ConstMatrixView<T> input) {
  output_.reshape(input.rows(), input.cols()) = input.array().max(T(0)).matrix();
  return output_.const_view();
}

// dx = dy ⊙ (y > 0), i.e. dy where x > 0 and 0 elsewhere (0 at x = 0, as torch)
template <typename T>
ConstMatrixView<T> ReLU<T>::backward(ConstMatrixView<T> doutput) {
  dinput_.reshape(doutput.rows(), doutput.cols()) =
      (output_.view().array() > T(0)).select(doutput, T(0));
  return dinput_.const_view();
}

template class ReLU<float>;
template class ReLU<double>;

}  // namespace scratchnet
