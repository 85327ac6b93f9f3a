#include "scratchnet/layers/leaky_relu.hpp"

namespace scratchnet {

// y = (x > 0 ? x : a·x)
template <typename T>
void LeakyReLU<T>::activate(const T* x, T* y, Index n) const {
  const ConstArrayMap<T> input(x, n);
  ArrayMap<T>(y, n) = (input > T(0)).select(input, negative_slope_ * input);
}

// dx = (x > 0 ? dy : a·dy)
template <typename T>
void LeakyReLU<T>::backpropagate(const T* x, const T* /*y*/, const T* dy, T* dx, Index n) const {
  const ConstArrayMap<T> doutput(dy, n);
  ArrayMap<T>(dx, n) = (ConstArrayMap<T>(x, n) > T(0)).select(doutput, negative_slope_ * doutput);
}

template class LeakyReLU<float>;
template class LeakyReLU<double>;

}  // namespace scratchnet
