#pragma once
// The Gaussian error linear unit, elementwise, in its exact erf form (torch's approximate='none'):
//   y = x·Φ(x) = ½·x·(1 + erf(x/√2)),  dy/dx = Φ(x) + x·φ(x),  φ(x) = e^(−x²/2) / √(2π)
//   input [batch, n] -> output [batch, n]

#include "scratchnet/layers/elementwise_activation.hpp"

namespace scratchnet {

/// torch.nn.GELU (approximate='none'): each element times the standard normal CDF at it.
template <typename T>
class GELU final : public ElementwiseActivation<T> {
 public:
  /// GELU(approximate='none')
  LayerDescription describe() const override {
    return {"GELU", {{"approximate", std::string("none")}}};
  }

  /// y = x·Φ(x)
  void activate(const T* x, T* y, Index n) const override;
  /// dx = dy ⊙ (Φ(x) + x·φ(x)): the derivative needs x, not y
  void backpropagate(const T* x, const T* y, const T* dy, T* dx, Index n) const override;
};

}  // namespace scratchnet
