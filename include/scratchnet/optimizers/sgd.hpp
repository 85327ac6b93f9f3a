#pragma once
// Stochastic gradient descent, exactly as torch.optim.SGD computes it in PyTorch 1.13
// (_single_tensor_sgd), elementwise over the flat buffers:
//   g ← ∇θ + wd·θ                                    (only if weight_decay ≠ 0)
//   if momentum μ ≠ 0:
//     b ← g on the first step, else b ← μ·b + (1 − dampening)·g      momentum_buffer
//     g ← nesterov ? g + μ·b : b
//   θ ← θ − lr·g
// With the defaults this is plain gradient descent, θ ← θ − lr·∇θ, bit for bit.

#include <limits>

#include "scratchnet/optimizers/optimizer.hpp"

namespace scratchnet {

/// SGD's hyperparameters, with torch.optim.SGD's defaults. lr has none: it must be set.
struct SgdOptions {
  double lr = std::numeric_limits<double>::quiet_NaN();  // required
  double momentum = 0;                                   // μ; 0 turns momentum off
  double dampening = 0;                                  // scales new gradients by 1 − dampening
  double weight_decay = 0;                               // L2: added to the gradient
  bool nesterov = false;                                 // needs momentum > 0 and dampening 0
};

template <typename T>
class Sgd : public Optimizer<T> {
 public:
  /// Plain gradient descent with step size `learning_rate`.
  explicit Sgd(double learning_rate);
  /// SGD with `options`. Throws std::invalid_argument, as torch raises ValueError, when lr is
  /// missing, a value is negative or not finite, or nesterov lacks momentum or has dampening.
  explicit Sgd(const SgdOptions& options);

  std::string name() const override { return "SGD"; }

 private:
  void update(VectorView<T> parameters, VectorView<T> gradients, Index first) override;

  SgdOptions options_;  // options_.lr is the initial rate; learning_rate() is the current one
};

}  // namespace scratchnet
