#include "scratchnet/layers/sigmoid.hpp"

#include <type_traits>

#include "scratchnet/kernels/exp.hpp"

namespace scratchnet {

// y = 1 / (1 + e^(−x)), written as the seed writes it so float64 results match numpy's. In
// float64 e^x is scratchnet's exp kernel (within 0.57 ulp, on the CPU's widest vectors: AVX-512,
// AVX2 or NEON); float keeps Eigen's vectorised float exp.
template <typename T>
ConstMatrixView<T> Sigmoid<T>::forward(ConstMatrixView<T> input) {
  auto output = output_.reshape(input.rows(), input.cols());
  if constexpr (std::is_same_v<T, double>) {
    kernels::sigmoid(input.data(), output.data(), input.size());
  } else {
    output = (T(1) / (T(1) + (-input.array()).exp())).matrix();
  }
  return output_.const_view();
}

// dx = dy ⊙ y(1 − y)
template <typename T>
ConstMatrixView<T> Sigmoid<T>::backward(ConstMatrixView<T> doutput) {
  const T* y = output_.view().data();
  const T* dy = doutput.data();
  T* dx = dinput_.reshape(doutput.rows(), doutput.cols()).data();
  for (Index i = 0; i < doutput.size(); ++i)
    dx[i] = dy[i] * (y[i] * (T(1) - y[i]));
  return dinput_.const_view();
}

template class Sigmoid<float>;
template class Sigmoid<double>;

}  // namespace scratchnet
