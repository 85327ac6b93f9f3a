#pragma once
// Gradient clipping by global L2 norm, as torch.nn.utils.clip_grad_norm_ (norm_type 2) does it
// in PyTorch 1.13, over the model's one flat gradient buffer:
//   n = ‖∇θ‖₂ over every parameter;  c = (1/(n + 1e-6))·max_norm;  ∇θ ← c·∇θ if c < 1
// torch takes the norm of the per-tensor norms; one norm of the flat buffer agrees to rounding.

#include "scratchnet/matrix.hpp"

namespace scratchnet {

/// Scales `gradients` in place so that their global L2 norm is at most `max_norm` (up to the
/// 1e-6 guard), and returns the norm before clipping. As in torch, a non-finite norm is not an
/// error: the gradients are scaled by its coefficient (0 for inf, NaN for NaN) and it is
/// returned. Throws std::invalid_argument if max_norm is negative or NaN.
template <typename T>
T clip_grad_norm(VectorView<T> gradients, T max_norm);

}  // namespace scratchnet
