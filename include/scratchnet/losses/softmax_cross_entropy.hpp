#pragma once
// Cross-entropy of the softmax of logits against class labels, torch.nn.CrossEntropyLoss
// (reduction='mean') on integer targets, with m_i = max_k x_ik so that no e^x can overflow:
//   L = (1/B) Σ_i −log p_i,c_i,   log p_ij = x_ij − m_i − log Σ_k e^(x_ik − m_i)
//   dL/dx_ij = (p_ij − [j = c_i]) / B,   p_i = softmax(x_i)
//   prediction (logits) [B, classes], target [B, 1] holding each row's class c_i as a T

#include <vector>

#include "scratchnet/losses/loss.hpp"

namespace scratchnet {

/// torch.nn.CrossEntropyLoss on class indices: log-softmax and negative log-likelihood in one.
template <typename T>
class SoftmaxCrossEntropy final : public Loss<T> {
 public:
  Task task() const override { return Task::multiclass; }
  /// Throws std::invalid_argument when the target is not [batch, 1], the batch is empty or a
  /// label is not an integer in [0, classes).
  T forward(ConstMatrixRef<T> prediction, ConstMatrixRef<T> target) override;
  ConstMatrixView<T> backward() override;

 private:
  std::vector<Index> labels_;     // [B]: c_i
  BatchBuffer<T> row_max_;        // [B]: m_i
  BatchBuffer<T> row_sum_;        // [B]: Σ_k e^(x_ik − m_i)
  BatchBuffer<T> probabilities_;  // [B, classes]: p
  BatchBuffer<T> dprediction_;
};

}  // namespace scratchnet
