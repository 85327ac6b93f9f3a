#pragma once
// The rectified linear unit, elementwise:  y = max(x, 0),  dy/dx = (x > 0 ? 1 : 0)
//   input [batch, n] -> output [batch, n]
// At the kink x = 0 the derivative is taken as 0, as PyTorch takes it.

#include "scratchnet/layers/elementwise_activation.hpp"

namespace scratchnet {

/// torch.nn.ReLU: keeps positive elements, zeroes the rest.
template <typename T>
class ReLU final : public ElementwiseActivation<T> {
 public:
  LayerDescription describe() const override { return {"ReLU", {}}; }

  /// y = max(x, 0)
  void activate(const T* x, T* y, Index n) const override;
  /// dx = dy ⊙ (y > 0): y > 0 exactly where x > 0
  void backpropagate(const T* x, const T* y, const T* dy, T* dx, Index n) const override;
};

}  // namespace scratchnet
