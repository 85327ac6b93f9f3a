#pragma once
// What the pooling layers share: the checks of a pool's window (torch's), the image a pool was
// shaped for, and how a batch of images is cut into parts for the thread pool.
// A pool works on one channel of one sample at a time, a plane of height × width values that
// NCHW stores contiguously, so [batch, C·H·W] is batch·C planes back to back.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "scratchnet/kernels/thread_pool.hpp"
#include "scratchnet/layers/window.hpp"
#include "scratchnet/shape.hpp"

namespace scratchnet::pooling {

/// The image a pool takes and the one it gives, per channel.
struct Planes {
  Index channels = 0;  // 0 until output_shape() has been given the sample shape
  Index height = 0;
  Index width = 0;
  Index out_height = 0;
  Index out_width = 0;

  Index in_size() const { return height * width; }
  Index out_size() const { return out_height * out_width; }
};

/// Throws std::invalid_argument, naming `kind`, unless kernel >= 1, stride >= 1, 0 <= padding,
/// dilation == 1 (AvgPool2d has none; MaxPool2d's other dilations are not offered) and
/// padding <= kernel / 2 (torch's "pad should be at most half of kernel size").
void check_window(std::string_view kind, const Window& window);

/// The planes of a [C, H, W] sample pooled by `window` (dilation 1). Throws std::invalid_argument
/// naming `kind` for another rank, for an output side below 1, or for a plane too large for the
/// 32-bit positions MaxPool2d keeps.
Planes window_planes(std::string_view kind, const Window& window, const Shape& input);

/// The planes of a [C, H, W] sample reduced to [C, 1, 1]; throws as window_planes does.
Planes whole_planes(std::string_view kind, const Shape& input);

/// The sample shape a layer was given by output_shape(), checked against a batch of `columns`
/// values a row: throws std::invalid_argument when there is none or it does not fit.
const Shape& given_shape(std::string_view kind, const std::optional<Shape>& shape, Index columns);

/// Runs plane_range(first, count) over [0, planes) in parts of a fixed number of planes (about
/// 16 K input values a part, whatever the thread count). A plane is computed whole by one
/// thread with nothing shared between planes, so every cut gives the same bits.
template <typename Range>
void for_planes(kernels::ThreadPool* pool, Index planes, Index plane_values, const Range& range) {
  constexpr Index kValuesPerPart = 16384;
  const Index per_part = plane_values >= kValuesPerPart ? 1 : kValuesPerPart / plane_values;
  kernels::run_slices(pool, planes, per_part, range);
}

/// The rows [start, end) of the padded input a window starting at `start` (may be negative)
/// covers, clipped to [0, size).
struct Span {
  Index first;
  Index end;
};
inline Span clipped(Index start, Index kernel, Index size) {
  return {start < 0 ? 0 : start, start + kernel > size ? size : start + kernel};
}

}  // namespace scratchnet::pooling
