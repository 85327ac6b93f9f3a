#pragma once
// The hyperbolic tangent, elementwise:  y = tanh(x),  dy/dx = 1 − y²
//   input [batch, n] -> output [batch, n]

#include "scratchnet/layers/layer.hpp"

namespace scratchnet {

/// torch.nn.Tanh: squashes each element into (−1, 1).
template <typename T>
class Tanh final : public Layer<T> {
 public:
  LayerDescription describe() const override { return {"Tanh", {}}; }

  /// [batch, n] -> [batch, n]
  ConstMatrixView<T> forward(ConstMatrixView<T> input) override;
  /// [batch, n] -> [batch, n]
  ConstMatrixView<T> backward(ConstMatrixView<T> doutput) override;

 private:
  BatchBuffer<T> output_;  // backward needs only y, not x
  BatchBuffer<T> dinput_;
};

}  // namespace scratchnet
