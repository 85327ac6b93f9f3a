#pragma once
// Convolution as a matrix product (darknet's im2col and col2im): the values a square window sees
// at each of its positions over an image become the columns of a matrix, so that a convolution
// is weight [out, C·k·k] · columns [C·k·k, Ho·Wo] and its input gradient is col2im of
// weightᵀ · doutput. Images are one sample's channels in NCHW order: [C, H, W], row-major.

#include <vector>

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

  /// The image with its padding: (height + 2·padding) × (width + 2·padding) a channel.
  Index padded_height() const { return height + 2 * padding; }
  Index padded_width() const { return width + 2 * padding; }
  /// Values pad_image() writes: every padded channel, then (kernel − 1)·dilation zeros that the
  /// last wide columns read past the last channel.
  Index padded_size() const {
    return channels * padded_height() * padded_width() + (kernel - 1) * dilation;
  }
  /// Columns of the wide columns matrix: out_height lines of padded_width positions.
  Index wide_positions() const { return out_height * padded_width(); }
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

// Wide columns, for stride 1 only: the window positions of a line are taken across the whole
// padded width, padded_width − out_width of them hanging past the image's right edge, whose
// values nobody uses. Then each row of the columns matrix is one contiguous run of the padded
// image (tap (ki, kj) of channel c starts at padded(c, ki·d, kj·d)), copied whole, instead of
// out_height runs of out_width values around the padding: for LeNet's 5 × 5 windows on 28 × 28
// and 14 × 14 images, a third of the copying's time went on starting short runs. The price is
// the positions that hang over: 14% more products for 28 + 2·2 wide lines, 40% for 14.
// Conv2d no longer copies the runs: its products read them in the padded image
// (kernels/indirect_product.hpp, kernels/correlate.hpp). wide_im2col stays as the definition of
// those reads, and wide_col2im_add, its adjoint, still folds back the input gradient.

/// padded [padded_size]: image [channels, height, width] inside `padding` zeros on every side.
template <typename T>
void pad_image(const T* image, const ConvolutionGeometry& geometry, T* padded);

/// image [channels, height, width] = the part of padded [padded_size] inside the padding.
template <typename T>
void crop_image(const T* padded, const ConvolutionGeometry& geometry, T* image);

/// Where each row of the wide columns starts in the padded image, row by row:
/// c·Hp·Wp + ki·d·Wp + kj·d for tap (ki, kj) of channel c. The products that read the runs in
/// place (Conv2d's) take these as their offsets.
std::vector<Index> wide_run_starts(const ConvolutionGeometry& geometry);

/// columns [patch_size, wide_positions] from padded [padded_size] (stride 1):
///   columns(c·k·k + ki·k + kj, q) = padded[c·Hp·Wp + ki·d·Wp + kj·d + q],
/// which for q = oy·Wp + ox with ox < out_width is im2col's value at (oy, ox).
template <typename T>
void wide_im2col(const T* padded, const ConvolutionGeometry& geometry, T* columns);

/// padded += what each element of columns [patch_size, wide_positions] was read from by
/// wide_im2col, the adjoint of wide_im2col, row of columns by row.
template <typename T>
void wide_col2im_add(const T* columns, const ConvolutionGeometry& geometry, T* padded);

}  // namespace scratchnet::kernels
