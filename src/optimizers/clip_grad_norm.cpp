#include "scratchnet/optimizers/clip_grad_norm.hpp"

#include <stdexcept>

namespace scratchnet {

template <typename T>
T clip_grad_norm(VectorView<T> gradients, T max_norm) {
  if (!(max_norm >= 0)) throw std::invalid_argument("max_norm must be >= 0");
  const T total_norm = gradients.norm();
  // torch: clip_coef = max_norm / (total_norm + 1e-6), a Python float over a tensor, which
  // torch evaluates as reciprocal(total_norm + 1e-6) * max_norm, all in T.
  const T coefficient = (T(1) / (total_norm + T(1e-6))) * max_norm;
  // torch multiplies by clamp(coef, max=1) always; ×1 changes nothing, and NaN stays NaN.
  if (!(coefficient >= 1)) gradients *= coefficient;
  return total_norm;
}

template float clip_grad_norm(VectorView<float>, float);
template double clip_grad_norm(VectorView<double>, double);

}  // namespace scratchnet
