#pragma once
// Convolution as a matrix product (darknet's im2col and col2im): the values a square window sees
// at each of its positions over an image become the columns of a matrix, so that a convolution
// is weight [out, C·k·k] · columns [C·k·k, Ho·Wo] and its input gradient is col2im of
// weightᵀ · doutput. Images are one sample's channels in NCHW order: [C, H, W], row-major.

#include "scratchnet/matrix.hpp"

namespace scratchnet::kernels {

/// A square window over an image of `channels` planes of height × width, as torch.nn.Conv2d
/// moves it: taps `dilation` apart, moved `stride` at a time over the image padded with
/// `padding` zeros on every side, to out_height × out_width positions.
struct ConvolutionGeometry {
  Index channels, height, width;
  Index kernel, stride, padding, dilation;
  Index out_height, out_width;

  /// Rows of the columns matrix: one per channel and tap, channels·kernel·kernel.
  Index patch_size() const { return channels * kernel * kernel; }
  /// Columns of the columns matrix: one per window position, out_height·out_width.
  Index positions() const { return out_height * out_width; }
};

/// columns [patch_size, positions] from image [channels, height, width]:
///   columns(c·k·k + ki·k + kj, oy·Wo + ox) = image(c, oy·s − p + ki·d, ox·s − p + kj·d),
/// or 0 where that falls in the padding.
template <typename T>
void im2col(const T* image, const ConvolutionGeometry& geometry, T* columns);

/// image += what each element of columns [patch_size, positions] was read from by im2col: the
/// adjoint of im2col, which gives dloss/dimage from dloss/dcolumns. Overlapping windows add up in
/// a fixed order (row of columns by row, position by position).
template <typename T>
void col2im_add(const T* columns, const ConvolutionGeometry& geometry, T* image);

}  // namespace scratchnet::kernels
