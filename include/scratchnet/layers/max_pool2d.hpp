#pragma once
// Max pooling over each channel of an image, torch.nn.MaxPool2d (dilation 1, ceil_mode False):
//   y[c, i, j] = max over the window's taps (h, w) of x[c, i·s − p + h, j·s − p + w]
//   input [batch, C·H·W] (NCHW) -> output [batch, C·Ho·Wo],  Ho = ⌊(H + 2p − k)/s⌋ + 1
// Padding counts as −∞, so it is never chosen. The gradient of each output goes to the first
// maximum of its window in row-major order, as PyTorch sends it; a NaN in a window is its
// maximum (the last NaN, again as torch), so NaNs propagate. Overlapping windows (stride <
// kernel) add their gradients where they share a maximum.

#include <cstdint>
#include <vector>

#include "scratchnet/layers/window_pool.hpp"

namespace scratchnet {

/// torch.nn.MaxPool2d: the largest value of each window of each channel.
template <typename T>
class MaxPool2d final : public WindowPool<T> {
 public:
  /// A pool moving `window`; the caller gives stride = kernel for torch's default. Throws
  /// std::invalid_argument for kernel or stride below 1, negative padding, a dilation other
  /// than 1, or padding above kernel / 2.
  explicit MaxPool2d(Window window);

  /// MaxPool2d(kernel_size, stride, padding, dilation=1, return_indices=False, ceil_mode=False)
  LayerDescription describe() const override;

  /// [batch, C·H·W] -> [batch, C·Ho·Wo]
  ConstMatrixView<T> forward(ConstMatrixView<T> input) override;
  /// [batch, C·Ho·Wo] -> [batch, C·H·W]
  ConstMatrixView<T> backward(ConstMatrixView<T> doutput) override;

 private:
  std::vector<std::int32_t> argmax_;  // per output: its maximum's position in the input plane
};

}  // namespace scratchnet
