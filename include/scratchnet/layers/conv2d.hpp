#pragma once
// A 2-D convolution, torch.nn.Conv2d (cross-correlation, zero padding, NCHW):
//   output(n, o, y, x) = bias(o) + Σ_{c, i, j} weight(o, c, i, j) ·
//                        input(n, g·C/G + c, y·s − p + i·d, x·s − p + j·d)
//   input [batch, C·H·W], weight [O, C/G, k, k], bias [O], output [batch, O·Ho·Wo]
// where output channel o belongs to group g = o / (O/G) and sees only that group's C/G input
// channels. Computed as a matrix product per sample and group: for stride 1 over the "wide"
// positions of kernels/im2col.hpp (positions past the image's edge computed and dropped), reading
// each window tap's run of the padded image in place (kernels/indirect_product.hpp, and
// kernels/correlate.hpp for the weight gradient); for larger strides over im2col's columns.
// Samples are shared between threads whole, and parameter gradients summed in fixed chunks of
// samples added in order, so the bits never depend on the thread count.

#include "scratchnet/kernels/im2col.hpp"
#include "scratchnet/layers/dense.hpp"
#include "scratchnet/layers/layer.hpp"
#include "scratchnet/layers/window.hpp"

namespace scratchnet {

template <typename T>
class Conv2d final : public Layer<T> {
 public:
  /// A convolution from `in_channels` to `out_channels` by `window`, the channels split into
  /// `groups` groups convolved apart. Throws std::invalid_argument for a size below 1 (padding
  /// below 0), or channel counts that `groups` does not divide.
  Conv2d(Index in_channels, Index out_channels, Window window, Index groups = 1,
         Bias bias = Bias::add);

  /// Conv2d(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias)
  LayerDescription describe() const override;
  /// [in_channels, H, W] -> [out_channels, Ho, Wo], each side window_output_size(). Throws
  /// std::invalid_argument for another rank or channel count, or a kernel wider than the padded
  /// input. Also records H and W: a batch's rows do not carry them, and forward() needs them.
  Shape output_shape(const Shape& input) const override;
  /// "weight" [out_channels, in_channels / groups, kernel, kernel], then "bias" [out_channels].
  std::vector<ParameterShape> parameter_shapes() const override;
  void bind_parameters(T* values, T* gradients) override;
  void use_threads(kernels::ThreadPool* pool) override { pool_ = pool; }

  /// Throws std::invalid_argument unless output_shape() was given samples of input.cols() values.
  ConstMatrixView<T> forward(ConstMatrixView<T> input) override;
  ConstMatrixView<T> backward(ConstMatrixView<T> doutput) override;
  void backward_parameters(ConstMatrixView<T> doutput) override;

  Index in_channels() const { return in_channels_; }
  Index out_channels() const { return out_channels_; }
  const Window& window() const { return window_; }
  Index groups() const { return groups_; }
  bool has_bias() const { return bias_ == Bias::add; }

  /// The weight as a matrix [out_channels, in_channels / groups · kernel · kernel]: row o is
  /// output channel o's filter, channel by channel, each k × k row-major.
  MatrixView<T> weight() { return {values_, out_channels_, patch_size()}; }
  /// [out_channels]; empty when the layer has no bias.
  VectorView<T> bias() { return {values_ + weight_size(), has_bias() ? out_channels_ : 0}; }
  /// dloss/dweight, laid out as weight().
  MatrixView<T> dweight() { return {gradients_, out_channels_, patch_size()}; }
  /// dloss/dbias, [out_channels]; empty when the layer has no bias.
  VectorView<T> dbias() { return {gradients_ + weight_size(), has_bias() ? out_channels_ : 0}; }

 private:
  // Values a filter sees: in_channels / groups · kernel².
  Index patch_size() const { return in_channels_ / groups_ * window_.kernel * window_.kernel; }
  Index weight_size() const { return out_channels_ * patch_size(); }
  void check_rows(Index columns) const;
  // Adds this batch's parameter gradients; with `dinput`, also writes dloss/dinput there.
  void backward_into(ConstMatrixView<T> doutput, T* dinput);
  // backward_into for stride 1, on the padded images and wide positions (see the .cpp).
  void backward_wide(ConstMatrixView<T> doutput, T* dinput);
  // Values per row of doutput spread over the wide positions: wide_positions() rounded up to a
  // whole number of the widest vectors, the rest zero.
  Index spread_length() const;

  Index in_channels_;
  Index out_channels_;
  Window window_;
  Index groups_;
  Bias bias_;
  // One group's geometry (in_channels / groups channels) for the image size output_shape() was
  // last given; channels is 0 until then.
  mutable kernels::ConvolutionGeometry geometry_{};
  // Where each tap's run starts in a padded image (channel, then row, then column of the
  // window), and each output channel's row in a spread doutput: backward_wide's offsets.
  mutable std::vector<Index> tap_offsets_;
  mutable std::vector<Index> spread_offsets_;
  T* values_ = nullptr;
  T* gradients_ = nullptr;
  kernels::ThreadPool* pool_ = nullptr;
  ConstMatrixView<T> input_{nullptr, 0, 0};  // kept by forward for the gradients
  BatchBuffer<T> output_;
  BatchBuffer<T> dinput_;
  BatchBuffer<T> scratch_;   // per thread's share of the batch: columns, their gradient, …
  BatchBuffer<T> partials_;  // per fixed chunk of samples: its weight and bias gradients
  // The weight (forward) or its transpose (backward), packed for kernels::matmul_at_offsets.
  BatchBuffer<T> packed_weight_;
};

}  // namespace scratchnet
