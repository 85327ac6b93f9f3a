#pragma once
// The softmax over the features of each row (torch.nn.Softmax(dim=1)):
//   y_ij = e^(x_ij − m_i) / Σ_k e^(x_ik − m_i),   m_i = max_k x_ik   (no e^x can overflow)
//   dx = y ⊙ (dy − rowsum(dy ⊙ y))   (each row's Jacobian diag(y) − y·yᵀ applied to dy)
//   input [batch, n] -> output [batch, n], each output row sums to 1

#include "scratchnet/layers/layer.hpp"

namespace scratchnet {

/// torch.nn.Softmax(dim=1): turns each row of scores into a probability distribution.
template <typename T>
class Softmax final : public Layer<T> {
 public:
  /// Softmax(dim=1)
  LayerDescription describe() const override { return {"Softmax", {{"dim", std::int64_t{1}}}}; }

  /// [n] -> [n]. Softmax(dim=1) of an image would normalise over its channels, not over the
  /// whole sample as this layer does, so it takes only flat samples.
  Shape output_shape(const Shape& input) const override;

  /// [batch, n] -> [batch, n]
  ConstMatrixView<T> forward(ConstMatrixView<T> input) override;
  /// [batch, n] -> [batch, n]
  ConstMatrixView<T> backward(ConstMatrixView<T> doutput) override;

 private:
  BatchBuffer<T> output_;  // backward needs only y
  BatchBuffer<T> dinput_;
  BatchBuffer<T> row_max_;  // [batch]: m_i
  BatchBuffer<T> row_sum_;  // [batch]: Σ_k e^(x_ik − m_i)
  BatchBuffer<T> row_dot_;  // [batch]: Σ_k dy_ik · y_ik
};

}  // namespace scratchnet
