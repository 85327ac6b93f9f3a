#include "scratchnet/layers/relu.hpp"

namespace scratchnet {
namespace {

// Elements per part when a pool shares the work: fixed, so the cut never depends on threads.
constexpr Index kSlice = 16 * 1024;

}  // namespace

// y = max(x, 0)
template <typename T>
ConstMatrixView<T> ReLU<T>::forward(ConstMatrixView<T> input) {
  const T* x = input.data();
  T* y = output_.reshape(input.rows(), input.cols()).data();
  kernels::run_slices(pool_, input.size(), kSlice, [=](Index first, Index count) {
    const T* __restrict from = x + first;
    T* __restrict to = y + first;
    for (Index i = 0; i < count; ++i) {
      const T value = from[i];
      to[i] = value <= T(0) ? T(0) : value;  // written so that NaN passes through, as in torch
    }
  });
  return output_.const_view();
}

// dx = dy ⊙ (y > 0), i.e. dy where x > 0 and 0 elsewhere (0 at x = 0, as torch)
template <typename T>
ConstMatrixView<T> ReLU<T>::backward(ConstMatrixView<T> doutput) {
  // Both values loaded unconditionally, so the loop compiles to vector selects: Eigen's select()
  // here was a mispredicted branch per element, a tenth of a training step.
  const T* y = output_.view().data();
  const T* dy = doutput.data();
  T* dx = dinput_.reshape(doutput.rows(), doutput.cols()).data();
  kernels::run_slices(pool_, doutput.size(), kSlice, [=](Index first, Index count) {
    const T* __restrict outputs = y + first;
    const T* __restrict gradients = dy + first;
    T* __restrict to = dx + first;
    for (Index i = 0; i < count; ++i) {
      const T output = outputs[i], gradient = gradients[i];
      to[i] = output <= T(0) ? T(0) : gradient;  // torch's threshold_backward, NaN included
    }
  });
  return dinput_.const_view();
}

template class ReLU<float>;
template class ReLU<double>;

}  // namespace scratchnet
