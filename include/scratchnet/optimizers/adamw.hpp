#pragma once
// AdamW, exactly as torch.optim.AdamW computes it in PyTorch 1.13 (_single_tensor_adamw, no
// amsgrad): decoupled weight decay shrinks θ, then Adam's update (adam.hpp) without the L2 term;
// at step t = 1, 2, …:
//   θ ← (1 − lr·wd)·θ
//   m ← β1·m + (1 − β1)·∇θ                            exp_avg
//   v ← β2·v + ((1 − β2)·∇θ)·∇θ                       exp_avg_sq
//   θ ← θ + (−lr/(1 − β1^t))·m / (√v / √(1 − β2^t) + ε)

#include "scratchnet/optimizers/adam.hpp"

namespace scratchnet {

/// AdamW's hyperparameters, with torch.optim.AdamW's defaults (weight decay 1e-2, not 0).
struct AdamWOptions {
  double lr = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  double weight_decay = 1e-2;  // decoupled: θ ← (1 − lr·wd)·θ before the update
};

/// Adam with decoupled weight decay; shares Adam's implementation.
template <typename T>
class AdamW : public Adam<T> {
 public:
  /// AdamW with `options`; throws std::invalid_argument as Adam does.
  explicit AdamW(const AdamWOptions& options = {});
};

}  // namespace scratchnet
