#pragma once
// The hyperbolic tangent, elementwise:  y = tanh(x),  dy/dx = 1 − y²
//   input [batch, n] -> output [batch, n]

#include "scratchnet/layers/elementwise_activation.hpp"

namespace scratchnet {

/// torch.nn.Tanh: squashes each element into (−1, 1).
template <typename T>
class Tanh final : public ElementwiseActivation<T> {
 public:
  LayerDescription describe() const override { return {"Tanh", {}}; }

  /// y = tanh(x)
  void activate(const T* x, T* y, Index n) const override;
  /// dx = dy ⊙ (1 − y²)
  void backpropagate(const T* x, const T* y, const T* dy, T* dx, Index n) const override;
};

}  // namespace scratchnet
