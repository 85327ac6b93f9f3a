#include "scratchnet/layers/gelu.hpp"

#include <cmath>
#include <numbers>

namespace scratchnet {
namespace {

template <typename T>
constexpr T kInvSqrt2 = T(1) / std::numbers::sqrt2_v<T>;  // 1/√2
template <typename T>
constexpr T kInvSqrt2Pi = std::numbers::inv_sqrtpi_v<T> / std::numbers::sqrt2_v<T>;  // 1/√(2π)

// Φ(x) = ½(1 + erf(x/√2)), the standard normal CDF.
template <typename T>
T normal_cdf(T x) {
  return T(0.5) * (T(1) + std::erf(x * kInvSqrt2<T>));
}

// y = x·Φ(x)
template <typename T>
T gelu(T x) {
  return x * normal_cdf(x);
}

// dy/dx = Φ(x) + x·φ(x),  φ(x) = e^(−x²/2) / √(2π)
template <typename T>
T gelu_derivative(T x) {
  return normal_cdf(x) + x * std::exp(T(-0.5) * x * x) * kInvSqrt2Pi<T>;
}

}  // namespace

// y = x·Φ(x)
template <typename T>
void GELU<T>::activate(const T* x, T* y, Index n) const {
  ArrayMap<T>(y, n) = ConstArrayMap<T>(x, n).unaryExpr(&gelu<T>);
}

// dx = dy ⊙ (Φ(x) + x·φ(x))
template <typename T>
void GELU<T>::backpropagate(const T* x, const T* /*y*/, const T* dy, T* dx, Index n) const {
  ArrayMap<T>(dx, n) =
      ConstArrayMap<T>(dy, n) * ConstArrayMap<T>(x, n).unaryExpr(&gelu_derivative<T>);
}

template class GELU<float>;
template class GELU<double>;

}  // namespace scratchnet
