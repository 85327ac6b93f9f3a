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

template <typename T>
ConstMatrixView<T> GELU<T>::forward(ConstMatrixView<T> input) {
  rebind(input_, input);
  output_.reshape(input.rows(), input.cols()) = input.unaryExpr(&gelu<T>);
  return output_.const_view();
}

// dx = dy ⊙ (Φ(x) + x·φ(x))
template <typename T>
ConstMatrixView<T> GELU<T>::backward(ConstMatrixView<T> doutput) {
  dinput_.reshape(doutput.rows(), doutput.cols()) =
      doutput.cwiseProduct(input_.unaryExpr(&gelu_derivative<T>));
  return dinput_.const_view();
}

template class GELU<float>;
template class GELU<double>;

}  // namespace scratchnet
