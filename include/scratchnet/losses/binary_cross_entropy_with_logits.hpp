#pragma once
// Binary cross-entropy on logits, torch.nn.BCEWithLogitsLoss (reduction='mean'), each output an
// independent yes/no whose probability is σ(x):
//   L = (1/N) Σ −[y·log σ(x) + (1 − y)·log(1 − σ(x))]
//     = (1/N) Σ max(x, 0) − x·y + log1p(e^(−|x|))     (the form that never overflows)
//   dL/dx = (σ(x) − y) / N,   N = batch · outputs
//   prediction (logits) [batch, outputs], target [batch, outputs] in [0, 1]

#include "scratchnet/losses/loss.hpp"

namespace scratchnet {

/// torch.nn.BCEWithLogitsLoss: sigmoid and binary cross-entropy in one stable step.
template <typename T>
class BinaryCrossEntropyWithLogits final : public Loss<T> {
 public:
  Task task() const override { return Task::binary; }
  /// Throws std::invalid_argument when the shapes differ, the batch is empty or a target lies
  /// outside [0, 1].
  T forward(ConstMatrixRef<T> prediction, ConstMatrixRef<T> target) override;
  ConstMatrixView<T> backward() override;

 private:
  BatchBuffer<T> residual_;  // σ(x) − y
  BatchBuffer<T> dprediction_;
};

}  // namespace scratchnet
