#pragma once
// Average pooling over each channel of an image, torch.nn.AvgPool2d (ceil_mode False,
// count_include_pad True, no divisor_override):
//   y[c, i, j] = Σ over the window's taps inside the image of x[c, h, w] / k²
//   input [batch, C·H·W] (NCHW) -> output [batch, C·Ho·Wo],  Ho = ⌊(H + 2p − k)/s⌋ + 1
// Padding counts as zeros that are part of the window, so a window at the border still divides
// by k·k (torch divides by the window clipped to the padded image, which without ceil_mode is
// the whole window: tools/make_torch_pooling_fixtures.py checks that).

#include "scratchnet/layers/window_pool.hpp"

namespace scratchnet {

/// torch.nn.AvgPool2d: the mean of each window of each channel, padding included.
template <typename T>
class AvgPool2d final : public WindowPool<T> {
 public:
  /// A pool moving `window`; the caller gives stride = kernel for torch's default. Throws
  /// std::invalid_argument for kernel or stride below 1, negative padding, a dilation other
  /// than 1, or padding above kernel / 2.
  explicit AvgPool2d(Window window);

  /// AvgPool2d(kernel_size, stride, padding, ceil_mode=False, count_include_pad=True)
  LayerDescription describe() const override;

  /// [batch, C·H·W] -> [batch, C·Ho·Wo]
  ConstMatrixView<T> forward(ConstMatrixView<T> input) override;
  /// [batch, C·Ho·Wo] -> [batch, C·H·W]
  ConstMatrixView<T> backward(ConstMatrixView<T> doutput) override;

 private:
};

}  // namespace scratchnet
