#pragma once
// The mean squared error over every element, torch.nn.MSELoss (reduction='mean'):
//   L = (1/N) Σ (ŷ − y)²,   dL/dŷ = 2 (ŷ − y) / N,   N = batch · outputs
//   prediction [batch, outputs], target [batch, outputs]

#include "scratchnet/losses/loss.hpp"

namespace scratchnet {

/// torch.nn.MSELoss: the squared error averaged over the batch and the outputs.
template <typename T>
class MeanSquaredError final : public Loss<T> {
 public:
  Task task() const override { return Task::regression; }
  /// Throws std::invalid_argument when the shapes differ or the batch is empty.
  T forward(ConstMatrixRef<T> prediction, ConstMatrixRef<T> target) override;
  ConstMatrixView<T> backward() override;

 private:
  BatchBuffer<T> error_;  // ŷ − y
  BatchBuffer<T> dprediction_;
};

}  // namespace scratchnet
