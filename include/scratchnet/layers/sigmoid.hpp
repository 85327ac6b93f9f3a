#pragma once
// The logistic activation, elementwise:  y = σ(x) = 1 / (1 + e^(−x)),  dy/dx = y · (1 − y)
//   input [batch, n] -> output [batch, n]

#include "scratchnet/layers/layer.hpp"

namespace scratchnet {

template <typename T>
class Sigmoid final : public Layer<T> {
 public:
  LayerDescription describe() const override { return {"Sigmoid", {}}; }

  ConstMatrixView<T> forward(ConstMatrixView<T> input) override;
  ConstMatrixView<T> backward(ConstMatrixView<T> doutput) override;

 private:
  BatchBuffer<T> output_;  // backward needs only y, not x
  BatchBuffer<T> dinput_;
};

}  // namespace scratchnet
