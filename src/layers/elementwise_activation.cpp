#include "scratchnet/layers/elementwise_activation.hpp"

namespace scratchnet {
namespace {

// Elements per part when a pool shares the work: fixed, so the cut never depends on threads
// (and a multiple of every vector width, so each part starts as aligned as the whole).
constexpr Index kSlice = 16 * 1024;

}  // namespace

template <typename T>
ConstMatrixView<T> ElementwiseActivation<T>::forward(ConstMatrixView<T> input) {
  rebind(input_, input);
  const T* x = input.data();
  T* y = output_.reshape(input.rows(), input.cols()).data();
  kernels::run_slices(pool_, input.size(), kSlice,
                      [&](Index first, Index count) { activate(x + first, y + first, count); });
  return output_.const_view();
}

template <typename T>
ConstMatrixView<T> ElementwiseActivation<T>::backward(ConstMatrixView<T> doutput) {
  const T* x = input_.data();
  const T* y = output_.view().data();
  const T* dy = doutput.data();
  T* dx = dinput_.reshape(doutput.rows(), doutput.cols()).data();
  kernels::run_slices(pool_, doutput.size(), kSlice, [&](Index first, Index count) {
    backpropagate(x + first, y + first, dy + first, dx + first, count);
  });
  return dinput_.const_view();
}

template class ElementwiseActivation<float>;
template class ElementwiseActivation<double>;

}  // namespace scratchnet
