#pragma once
// Full-batch gradient descent for a network so small that all its values fit in the L1 cache
// (Stage 1's XOR network is one), with the bits of the general path: Sequential's forward and
// backward, the loss's gradient and Sgd's step, step after step, without their per-layer calls,
// views, buffer checks and thread-pool hand-offs.
//   network:   Dense layers (with or without bias, any widths) and elementwise activations
//              (ElementwiseActivation: Sigmoid, Tanh, ReLU, LeakyReLU, GELU), in float64
//   loss:      SumSquaredError or MeanSquaredError
//   optimizer: plain gradient descent, θ ← θ − lr·∇θ (Sgd without momentum or weight decay)
// Every value (parameters, the batch, each layer's output and its gradient) lives in
// one buffer of at most kMaxBytes. Products are computed as gemm() computes tiny ones (sums from
// 0 in order, gemm_adds_in_order() says when it does), activations by the layers' own array
// functions (Sigmoid inline, with the same bits), so the same network trained either way ends with
// the same bits on every instruction set. Anything else is refused, and callers take the general
// path. Only float64: the float layers use Eigen's vectorised exp and tanh, whose bits depend on
// where an array starts in memory, so no other buffer could promise the layers' bits.

#include <cstdint>
#include <memory>
#include <string>

#include "scratchnet/model/sequential.hpp"

namespace scratchnet {

/// The losses SmallNetwork trains on.
enum class SmallLoss { sum_squared_error, mean_squared_error };

/// Trains one Sequential<double> on one batch, step after step, as Sequential, the loss and Sgd
/// would, faster. Not thread-safe; one object per network.
class SmallNetwork {
 public:
  /// The most bytes the buffer of all values may take: the smallest L1 data cache of the x86 and
  /// Arm cores scratchnet targets holds 32 KiB.
  static constexpr std::size_t kMaxBytes = 32 * 1024;

  /// Why `network` cannot be trained here on batches of `rows` rows, in one line; empty when it
  /// can. Refused: a layer that is neither Dense nor elementwise (Dropout, Softmax), values
  /// beyond kMaxBytes, and a product that gemm() would not add in order.
  static std::string refusal(const Sequential<double>& network, Index rows);

  /// Prepares to train `network` (which must outlive this object) on `inputs`
  /// [rows, network.inputs()] against `targets` [rows, network.outputs()], the whole batch each
  /// step, with `loss` and step size `learning_rate`. Copies the parameters and the batch.
  /// Throws std::invalid_argument with refusal()'s reason, for shapes that do not match, or for
  /// a learning rate Sgd refuses.
  SmallNetwork(Sequential<double>& network, SmallLoss loss, double learning_rate,
               ConstMatrixRef<double> inputs, ConstMatrixRef<double> targets);
  ~SmallNetwork();
  SmallNetwork(SmallNetwork&&) noexcept;

  /// `iterations` steps, each as a general training step does it: forward, the loss's gradient,
  /// backward, θ ← θ − lr·∇θ. Then writes the parameters into the network. Allocates nothing.
  void train(std::int64_t iterations);

  /// The output of the last step's forward pass, [rows, outputs] (zeros before any step).
  ConstMatrixView<double> output() const;

  /// The loss of output() against the targets, as the loss class computes it.
  double loss() const;

 private:
  struct State;  // the plan of the buffer and the buffer (src/model/small_network_loop.hpp)
  std::unique_ptr<State> state_;
};

}  // namespace scratchnet
