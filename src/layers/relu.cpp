#include "scratchnet/layers/relu.hpp"

namespace scratchnet {

// y = max(x, 0)
template <typename T>
ConstMatrixView<T> ReLU<T>::forward(ConstMatrixView<T> input) {
  const T* __restrict x = input.data();
  T* __restrict y = output_.reshape(input.rows(), input.cols()).data();
  for (Index i = 0; i < input.size(); ++i) {
    const T value = x[i];
    y[i] = value <= T(0) ? T(0) : value;  // written so that NaN passes through, as in torch
  }
  return output_.const_view();
}

// dx = dy ⊙ (y > 0), i.e. dy where x > 0 and 0 elsewhere (0 at x = 0, as torch)
template <typename T>
ConstMatrixView<T> ReLU<T>::backward(ConstMatrixView<T> doutput) {
  // Both values loaded unconditionally, so the loop compiles to vector selects: Eigen's select()
  // here was a mispredicted branch per element, a tenth of a training step.
  const T* __restrict y = output_.view().data();
  const T* __restrict dy = doutput.data();
  T* __restrict dx = dinput_.reshape(doutput.rows(), doutput.cols()).data();
  for (Index i = 0; i < doutput.size(); ++i) {
    const T output = y[i], gradient = dy[i];
    dx[i] = output <= T(0) ? T(0) : gradient;  // torch's threshold_backward, NaN included
  }
  return dinput_.const_view();
}

template class ReLU<float>;
template class ReLU<double>;

}  // namespace scratchnet
