#pragma once
// How a convolution or pooling window moves over an image, as torch.nn.Conv2d and MaxPool2d
// take it: a square kernel, and the same stride, zero padding and dilation on both axes.

#include "scratchnet/matrix.hpp"

namespace scratchnet {

/// A square window: `kernel` taps a side, `dilation` apart, moved `stride` at a time over an
/// image padded with `padding` on every side.
struct Window {
  Index kernel;
  Index stride = 1;
  Index padding = 0;
  Index dilation = 1;
};

/// The number of window positions along an axis of `input` elements, as torch computes it:
/// floor((input + 2·padding − dilation·(kernel − 1) − 1) / stride) + 1. Below 1 when the
/// window (dilation·(kernel − 1) + 1 wide) is wider than the padded input; the caller says so.
/// Needs stride >= 1.
inline Index window_output_size(Index input, const Window& window) {
  const Index span = input + 2 * window.padding - window.dilation * (window.kernel - 1) - 1;
  // Floor division: the span is negative when the window does not fit, and C++ rounds to zero.
  const Index floor =
      span >= 0 ? span / window.stride : -((-span + window.stride - 1) / window.stride);
  return floor + 1;
}

}  // namespace scratchnet
