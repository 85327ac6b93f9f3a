#pragma once
// Global average pooling, torch.nn.AdaptiveAvgPool2d(output_size=1): each channel's mean.
//   y[c] = Σ_{h, w} x[c, h, w] / H / W
//   input [batch, C·H·W] (NCHW) -> output [batch, C] (a sample [C, 1, 1])
// Only the 1×1 output is offered; larger outputs would need torch's uneven windows.

#include <optional>

#include "scratchnet/layers/layer.hpp"

namespace scratchnet {

/// torch.nn.AdaptiveAvgPool2d(1): the mean of each channel of an image.
template <typename T>
class AdaptiveAvgPool2d final : public Layer<T> {
 public:
  AdaptiveAvgPool2d() = default;

  /// AdaptiveAvgPool2d(output_size=1)
  LayerDescription describe() const override;
  /// [C, H, W] -> [C, 1, 1]. Also sets the image size forward() takes, which a batch row alone
  /// does not tell.
  Shape output_shape(const Shape& input) const override;
  void use_threads(kernels::ThreadPool* pool) override { pool_ = pool; }

  /// [batch, C·H·W] -> [batch, C]
  ConstMatrixView<T> forward(ConstMatrixView<T> input) override;
  /// [batch, C] -> [batch, C·H·W]
  ConstMatrixView<T> backward(ConstMatrixView<T> doutput) override;

 private:
  // The sample shape output_shape() was last given: set from a const method, as a layer learns
  // its input's height and width only when it joins a model.
  mutable std::optional<Shape> input_;
  kernels::ThreadPool* pool_ = nullptr;
  BatchBuffer<T> output_;
  BatchBuffer<T> dinput_;
};

}  // namespace scratchnet
