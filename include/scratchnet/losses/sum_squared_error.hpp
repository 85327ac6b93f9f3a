#pragma once
// The seed's loss: the sum (not the mean) of squared errors over the batch and the outputs.
//   L = Σ (ŷ − y)²,   dL/dŷ = 2 (ŷ − y)
// Gradient descent on it with learning rate 1 is exactly the seed notebook's update.

#include "scratchnet/losses/loss.hpp"

namespace scratchnet {

template <typename T>
class SumSquaredError final : public Loss<T> {
 public:
  Task task() const override { return Task::regression; }
  T forward(ConstMatrixRef<T> prediction, ConstMatrixRef<T> target) override;
  ConstMatrixView<T> backward() override;

 private:
  BatchBuffer<T> error_;  // ŷ − y
  BatchBuffer<T> dprediction_;
};

}  // namespace scratchnet
