#include "scratchnet/layers/tanh.hpp"

namespace scratchnet {

// y = tanh(x)
template <typename T>
void Tanh<T>::activate(const T* x, T* y, Index n) const {
  ArrayMap<T>(y, n) = ConstArrayMap<T>(x, n).tanh();
}

// dx = dy ⊙ (1 − y²)
template <typename T>
void Tanh<T>::backpropagate(const T* /*x*/, const T* y, const T* dy, T* dx, Index n) const {
  ArrayMap<T>(dx, n) = ConstArrayMap<T>(dy, n) * (T(1) - ConstArrayMap<T>(y, n).square());
}

template class Tanh<float>;
template class Tanh<double>;

}  // namespace scratchnet
