#pragma once
// Inverted dropout (torch.nn.Dropout), elementwise, with drop probability p:
//   training:   y = x ⊙ m,  m_ij = (u_ij >= p ? 1/(1−p) : 0),  u_ij ~ uniform[0, 1);  dx = dy ⊙ m
//   evaluation: y = x,  dx = dy
//   input [batch, n] -> output [batch, n]
// Scaling the survivors by 1/(1−p) keeps E[y] = x, so evaluation needs no rescaling. u_ij is the
// number of row i, element j of the SampleStream passed to train(): a row's mask depends on the
// step and the row's place in its batch only, so a batch cut into shards draws the same masks.

#include <optional>

#include "scratchnet/layers/layer.hpp"

namespace scratchnet {

/// torch.nn.Dropout: zeroes each element with probability p while training.
template <typename T>
class Dropout final : public Layer<T> {
 public:
  /// A layer dropping each element with probability `p` in [0, 1) (torch's default is 0.5).
  /// Throws std::invalid_argument for any other p.
  explicit Dropout(double p = 0.5);

  /// Dropout(p)
  LayerDescription describe() const override { return {"Dropout", {{"p", p_}}}; }

  /// The drop probability.
  double p() const { return p_; }

  /// Whether forward() draws a mask (training mode).
  bool training() const { return random_.has_value(); }

  /// Training mode: forward() masks with the numbers `random` gives for its rows, at the position
  /// its SampleRandom is set to (a fresh mask per step).
  void train(SampleStream random) override { random_ = random; }
  /// Evaluation mode: the identity.
  void eval() override { random_.reset(); }

  /// [batch, n] -> [batch, n]
  ConstMatrixView<T> forward(ConstMatrixView<T> input) override;
  /// [batch, n] -> [batch, n], masked as the last forward() was.
  ConstMatrixView<T> backward(ConstMatrixView<T> doutput) override;

 private:
  double p_;
  T scale_;                             // 1/(1−p)
  std::optional<SampleStream> random_;  // set in training mode only
  bool masked_ = false;                 // whether the last forward() applied mask_
  BatchBuffer<T> mask_;                 // [batch, n]: 0 or 1/(1−p)
  BatchBuffer<T> output_;
  BatchBuffer<T> dinput_;
};

}  // namespace scratchnet
