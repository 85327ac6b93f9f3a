#pragma once
// The Gaussian error linear unit, elementwise, in its exact erf form (torch's approximate='none'):
//   y = x·Φ(x) = ½·x·(1 + erf(x/√2)),  dy/dx = Φ(x) + x·φ(x),  φ(x) = e^(−x²/2) / √(2π)
//   input [batch, n] -> output [batch, n]

#include "scratchnet/layers/layer.hpp"

namespace scratchnet {

/// torch.nn.GELU (approximate='none'): each element times the standard normal CDF at it.
template <typename T>
class GELU final : public Layer<T> {
 public:
  /// GELU(approximate='none')
  LayerDescription describe() const override {
    return {"GELU", {{"approximate", std::string("none")}}};
  }

  /// [batch, n] -> [batch, n]. `input` must stay alive and unchanged until backward().
  ConstMatrixView<T> forward(ConstMatrixView<T> input) override;
  /// [batch, n] -> [batch, n]
  ConstMatrixView<T> backward(ConstMatrixView<T> doutput) override;

 private:
  ConstMatrixView<T> input_{nullptr, 0, 0};  // the derivative needs x, not y
  BatchBuffer<T> output_;
  BatchBuffer<T> dinput_;
};

}  // namespace scratchnet
