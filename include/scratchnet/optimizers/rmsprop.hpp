#pragma once
// RMSprop, exactly as torch.optim.RMSprop computes it in PyTorch 1.13 (_single_tensor_rmsprop),
// elementwise over the flat buffers:
//   g ← ∇θ + wd·θ                                     (only if weight_decay ≠ 0)
//   s ← α·s + ((1 − α)·g)·g                           square_avg
//   if centered:  a ← α·a + (1 − α)·g                 grad_avg
//                 d ← √(s + (−1·a)·a) + ε
//   else          d ← √s + ε
//   if momentum μ > 0:  b ← μ·b + g/d,  θ ← θ − lr·b  momentum_buffer
//   else                θ ← θ + (−lr·g)/d

#include "scratchnet/optimizers/optimizer.hpp"

namespace scratchnet {

/// RMSprop's hyperparameters, with torch.optim.RMSprop's defaults.
struct RmspropOptions {
  double lr = 1e-2;
  double alpha = 0.99;  // decay of the squared-gradient average
  double eps = 1e-8;
  double weight_decay = 0;  // L2: added to the gradient
  double momentum = 0;
  bool centered = false;  // divide by the gradient's estimated variance, not its second moment
};

template <typename T>
class Rmsprop : public Optimizer<T> {
 public:
  /// RMSprop with `options`. Throws std::invalid_argument, as torch raises ValueError, when a
  /// value is negative or not finite.
  explicit Rmsprop(const RmspropOptions& options = {});

  std::string name() const override { return "RMSprop"; }

 private:
  void update(VectorView<T> parameters, VectorView<T> gradients, Index first) override;

  RmspropOptions options_;  // options_.lr is the initial rate; learning_rate() is the current one
};

}  // namespace scratchnet
