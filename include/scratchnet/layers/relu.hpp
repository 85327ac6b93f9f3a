#pragma once
// The rectified linear unit, elementwise:  y = max(x, 0),  dy/dx = (x > 0 ? 1 : 0)
//   input [batch, n] -> output [batch, n]
// At the kink x = 0 the derivative is taken as 0, as PyTorch takes it.

#include "scratchnet/layers/layer.hpp"

namespace scratchnet {

/// torch.nn.ReLU: keeps positive elements, zeroes the rest.
template <typename T>
class ReLU final : public Layer<T> {
 public:
  LayerDescription describe() const override { return {"ReLU", {}}; }
  void use_threads(kernels::ThreadPool* pool) override { pool_ = pool; }

  /// [batch, n] -> [batch, n]
  ConstMatrixView<T> forward(ConstMatrixView<T> input) override;
  /// [batch, n] -> [batch, n]
  ConstMatrixView<T> backward(ConstMatrixView<T> doutput) override;

 private:
  kernels::ThreadPool* pool_ = nullptr;
  BatchBuffer<T> output_;  // y > 0 exactly where x > 0, so backward needs only y
  BatchBuffer<T> dinput_;
};

}  // namespace scratchnet
