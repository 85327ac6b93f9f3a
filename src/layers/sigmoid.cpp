#include "scratchnet/layers/sigmoid.hpp"

#include <type_traits>

#include "scratchnet/kernels/exp.hpp"

namespace scratchnet {

// y = 1 / (1 + e^(−x)), written as the seed writes it so float64 results match numpy's. In
// float64 e^x is scratchnet's exp kernel (within 0.57 ulp, on the CPU's widest vectors: AVX-512,
// AVX2 or NEON); float keeps Eigen's vectorised float exp.
template <typename T>
void Sigmoid<T>::activate(const T* x, T* y, Index n) const {
  if constexpr (std::is_same_v<T, double>) {
    kernels::sigmoid(x, y, n);
  } else {
    ArrayMap<T>(y, n) = T(1) / (T(1) + (-ConstArrayMap<T>(x, n)).exp());
  }
}

// dx = dy ⊙ y(1 − y)
template <typename T>
void Sigmoid<T>::backpropagate(const T* /*x*/, const T* y, const T* dy, T* dx, Index n) const {
  for (Index i = 0; i < n; ++i)
    dx[i] = dy[i] * (y[i] * (T(1) - y[i]));
}

template class Sigmoid<float>;
template class Sigmoid<double>;

}  // namespace scratchnet
