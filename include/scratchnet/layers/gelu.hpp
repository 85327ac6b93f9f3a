#pragma once
// The Gaussian error linear unit, elementwise, in its exact erf form (torch's approximate='none'):
//   y = x·Φ(x) = ½·x·(1 + erf(x/√2)),  dy/dx = Φ(x) + x·φ(x),  φ(x) = e^(−x²/2) / √(2π)
//   input [batch, n] -> output [batch, n]

#include "scratchnet/layer.hpp"

namespace scratchnet {

/// torch.nn.GELU (approximate='none'): each element times the standard normal CDF at it.
template <typename T>
class GELU final : public Layer<T> {
 public:
  std::string name() const override { return "GELU"; }

  /// [batch, n] -> [batch, n]. `input` must stay alive and unchanged until backward().
  const Matrix<T>& forward(const Matrix<T>& input) override;
  /// [batch, n] -> [batch, n]
  const Matrix<T>& backward(const Matrix<T>& doutput) override;

 private:
  const Matrix<T>* input_ = nullptr;  // the derivative needs x, not y
  Matrix<T> output_;
  Matrix<T> dinput_;
};

}  // namespace scratchnet
