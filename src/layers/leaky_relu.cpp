#include "scratchnet/layers/leaky_relu.hpp"

namespace scratchnet {

// y = (x > 0 ? x : a·x)
template <typename T>
ConstMatrixView<T> LeakyReLU<T>::forward(ConstMatrixView<T> input) {
  rebind(input_, input);
  output_.reshape(input.rows(), input.cols()) =
      (input.array() > T(0)).select(input, negative_slope_ * input.array());
  return output_.const_view();
}

// dx = (x > 0 ? dy : a·dy)
template <typename T>
ConstMatrixView<T> LeakyReLU<T>::backward(ConstMatrixView<T> doutput) {
  dinput_.reshape(doutput.rows(), doutput.cols()) =
      (input_.array() > T(0)).select(doutput, negative_slope_ * doutput.array());
  return dinput_.const_view();
}

template class LeakyReLU<float>;
template class LeakyReLU<double>;

}  // namespace scratchnet
