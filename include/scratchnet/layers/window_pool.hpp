#pragma once
// What MaxPool2d and AvgPool2d share: a Window moved over each channel of an image, checked as
// torch checks a pool's (dilation 1, padding at most half the kernel), the image size the layer
// takes, and its buffers.
//   input [batch, C·H·W] (NCHW) -> output [batch, C·Ho·Wo],  Ho = ⌊(H + 2p − k)/s⌋ + 1

#include <optional>

#include "scratchnet/layers/layer.hpp"
#include "scratchnet/layers/window.hpp"

namespace scratchnet {

/// The base of the pools that move a window over each channel.
template <typename T>
class WindowPool : public Layer<T> {
 public:
  /// [C, H, W] -> [C, Ho, Wo]. Also sets the image size forward() takes, which a batch row alone
  /// does not tell.
  Shape output_shape(const Shape& input) const final;
  void use_threads(kernels::ThreadPool* pool) final { pool_ = pool; }

  /// The window, as constructed.
  const Window& window() const { return window_; }

 protected:
  /// A pool named `kind` ("MaxPool2d") moving `window`; the caller gives stride = kernel for
  /// torch's default. Throws std::invalid_argument for kernel or stride below 1, negative
  /// padding, a dilation other than 1, or padding above kernel / 2.
  WindowPool(const char* kind, Window window);

  const char* kind_;
  Window window_;
  // The sample shape output_shape() was last given: set from a const method, as a layer learns
  // its input's height and width only when it joins a model.
  mutable std::optional<Shape> input_;
  kernels::ThreadPool* pool_ = nullptr;
  BatchBuffer<T> output_;
  BatchBuffer<T> dinput_;
};

}  // namespace scratchnet
