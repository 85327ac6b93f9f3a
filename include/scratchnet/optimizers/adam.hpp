#pragma once
// Adam, exactly as torch.optim.Adam computes it in PyTorch 1.13 (_single_tensor_adam, no
// amsgrad), elementwise over the flat buffers; at step t = 1, 2, …:
//   g ← ∇θ + wd·θ                                     (L2, only if weight_decay ≠ 0)
//   m ← β1·m + (1 − β1)·g                             exp_avg
//   v ← β2·v + ((1 − β2)·g)·g                         exp_avg_sq
//   θ ← θ + (−lr/(1 − β1^t))·m / (√v / √(1 − β2^t) + ε)
// AdamW (adamw.hpp) is the same update with decoupled weight decay, θ ← (1 − lr·wd)·θ first.

#include "scratchnet/optimizers/optimizer.hpp"

namespace scratchnet {

/// Adam's hyperparameters, with torch.optim.Adam's defaults.
struct AdamOptions {
  double lr = 1e-3;
  double beta1 = 0.9;    // decay of the first moment, m
  double beta2 = 0.999;  // decay of the second moment, v
  double eps = 1e-8;
  double weight_decay = 0;  // L2: added to the gradient
};

template <typename T>
class Adam : public Optimizer<T> {
 public:
  /// Adam with `options`. Throws std::invalid_argument, as torch raises ValueError, when a
  /// value is negative or not finite, or a beta is not in [0, 1).
  explicit Adam(const AdamOptions& options = {});

  std::string name() const override;

 protected:
  /// How weight decay enters: added to the gradient (Adam) or shrinking θ first (AdamW).
  enum class WeightDecay { l2, decoupled };

  /// Adam with the weight decay of `options` applied as `decay`.
  Adam(const AdamOptions& options, WeightDecay decay);

 private:
  void update(VectorView<T> parameters, VectorView<T> gradients, Index first) override;

  AdamOptions options_;  // options_.lr is the initial rate; learning_rate() is the current one
  WeightDecay decay_;
};

}  // namespace scratchnet
