#pragma once
// torch.nn.Flatten(start_dim=1, end_dim=-1): a sample of any shape becomes a flat row.
//   y = x,  dx = dy;  a sample [C, H, W] -> [C·H·W]
// A batch is already stored [batch, C·H·W] (NCHW), exactly the flattened layout, so forward and
// backward hand back the very view they were given: no copy.

#include "scratchnet/layers/layer.hpp"

namespace scratchnet {

/// torch.nn.Flatten: reshapes each sample to one dimension.
template <typename T>
class Flatten final : public Layer<T> {
 public:
  Flatten() = default;

  /// Flatten(start_dim=1, end_dim=-1)
  LayerDescription describe() const override;
  /// Any shape -> [elements].
  Shape output_shape(const Shape& input) const override;

  /// [batch, n] -> [batch, n], the same view.
  ConstMatrixView<T> forward(ConstMatrixView<T> input) override;
  /// [batch, n] -> [batch, n], the same view.
  ConstMatrixView<T> backward(ConstMatrixView<T> doutput) override;
};

}  // namespace scratchnet
