#pragma once
// The logistic activation, elementwise:  y = σ(x) = 1 / (1 + e^(−x)),  dy/dx = y · (1 − y)
//   input [batch, n] -> output [batch, n]

#include "scratchnet/layers/elementwise_activation.hpp"

namespace scratchnet {

/// torch.nn.Sigmoid: squashes each element into (0, 1).
template <typename T>
class Sigmoid final : public ElementwiseActivation<T> {
 public:
  LayerDescription describe() const override { return {"Sigmoid", {}}; }

  /// y = 1 / (1 + e^(−x))
  void activate(const T* x, T* y, Index n) const override;
  /// dx = dy ⊙ y(1 − y)
  void backpropagate(const T* x, const T* y, const T* dy, T* dx, Index n) const override;
};

}  // namespace scratchnet
