#pragma once
// The leaky rectified linear unit, elementwise, with negative slope a:
//   y = (x > 0 ? x : a·x),  dy/dx = (x > 0 ? 1 : a)
//   input [batch, n] -> output [batch, n]
// At the kink x = 0 the derivative is taken as a, as PyTorch takes it.

#include "scratchnet/layers/elementwise_activation.hpp"

namespace scratchnet {

/// torch.nn.LeakyReLU: keeps positive elements, scales the rest by the negative slope.
template <typename T>
class LeakyReLU final : public ElementwiseActivation<T> {
 public:
  /// A layer whose output is `negative_slope`·x for x <= 0 (torch's default is 0.01).
  explicit LeakyReLU(T negative_slope = T(0.01)) : negative_slope_(negative_slope) {}

  /// LeakyReLU(negative_slope)
  LayerDescription describe() const override {
    return {"LeakyReLU", {{"negative_slope", real_attribute(negative_slope_)}}};
  }

  /// The slope a applied to non-positive inputs.
  T negative_slope() const { return negative_slope_; }

  /// y = (x > 0 ? x : a·x)
  void activate(const T* x, T* y, Index n) const override;
  /// dx = (x > 0 ? dy : a·dy): the sign of x decides the slope (y's may not, for a ≤ 0)
  void backpropagate(const T* x, const T* y, const T* dy, T* dx, Index n) const override;

 private:
  T negative_slope_;
};

}  // namespace scratchnet
