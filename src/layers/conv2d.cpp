#include "scratchnet/layers/conv2d.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "scratchnet/kernels/correlate.hpp"
#include "scratchnet/kernels/indirect_product.hpp"
#include "scratchnet/kernels/matmul.hpp"

namespace scratchnet {
namespace {

// Samples per chunk of the parameter gradients: each chunk's sum is computed whole by one thread
// and the chunks' sums are added in chunk order, so the bits depend on the batch alone.
constexpr Index kSamplesPerChunk = 8;

void require(bool condition, const std::string& message) {
  if (!condition) throw std::invalid_argument(message);
}

// Shares of a job per thread: more than one, so that when a thread is late (another program has
// its core) the others take over its shares rather than wait for it.
constexpr Index kSharesPerThread = 4;

// How many shares for_shares cuts `count` items into: the scratch space needs one row each.
Index shares_for(kernels::ThreadPool* pool, Index count) {
  const Index threads = pool != nullptr && pool->threads() > 1 ? pool->threads() : 0;
  return std::max<Index>(1, std::min<Index>(count, kSharesPerThread * threads));
}

// Runs share(index, first, end) over contiguous shares of [0, count), each with its own scratch
// space (row `index`). Only work whose result does not depend on the cut goes through here
// (samples computed whole, chunks of fixed size), so the thread count sets the cut but never
// the bits.
template <typename Share>
void for_shares(kernels::ThreadPool* pool, Index count, const Share& share) {
  const Index shares = shares_for(pool, count);
  kernels::run_parts(pool, shares, [&](Index index) {
    share(index, index * count / shares, (index + 1) * count / shares);
  });
}

// Σ values[0, count), in eight interleaved partial sums (which vectorise) added in a fixed order.
template <typename T>
T sum_of(const T* values, Index count) {
  constexpr Index kLanes = 8;
  T lanes[kLanes] = {};
  Index i = 0;
  for (; i + kLanes <= count; i += kLanes) {
    for (Index lane = 0; lane < kLanes; ++lane)
      lanes[lane] += values[i + lane];
  }
  T total = 0;
  for (Index lane = 0; lane < kLanes; ++lane)
    total += lanes[lane];
  for (; i < count; ++i)
    total += values[i];
  return total;
}

}  // namespace

template <typename T>
Conv2d<T>::Conv2d(Index in_channels, Index out_channels, Window window, Index groups, Bias bias)
    : in_channels_(in_channels),
      out_channels_(out_channels),
      window_(window),
      groups_(groups),
      bias_(bias) {
  require(in_channels >= 1 && out_channels >= 1,
          "Conv2d needs at least 1 input and 1 output channel, got " + std::to_string(in_channels) +
              " -> " + std::to_string(out_channels));
  require(window.kernel >= 1,
          "Conv2d kernel_size must be at least 1, got " + std::to_string(window.kernel));
  require(window.stride >= 1,
          "Conv2d stride must be at least 1, got " + std::to_string(window.stride));
  require(window.padding >= 0,
          "Conv2d padding must not be negative, got " + std::to_string(window.padding));
  require(window.dilation >= 1,
          "Conv2d dilation must be at least 1, got " + std::to_string(window.dilation));
  require(groups >= 1, "Conv2d groups must be at least 1, got " + std::to_string(groups));
  require(in_channels % groups == 0, "Conv2d in_channels (" + std::to_string(in_channels) +
                                         ") must be divisible by groups (" +
                                         std::to_string(groups) + ")");
  require(out_channels % groups == 0, "Conv2d out_channels (" + std::to_string(out_channels) +
                                          ") must be divisible by groups (" +
                                          std::to_string(groups) + ")");
}

template <typename T>
LayerDescription Conv2d<T>::describe() const {
  return {"Conv2d",
          {{"in_channels", std::int64_t{in_channels_}},
           {"out_channels", std::int64_t{out_channels_}},
           {"kernel_size", std::int64_t{window_.kernel}},
           {"stride", std::int64_t{window_.stride}},
           {"padding", std::int64_t{window_.padding}},
           {"dilation", std::int64_t{window_.dilation}},
           {"groups", std::int64_t{groups_}},
           {"bias", has_bias()}}};
}

template <typename T>
Shape Conv2d<T>::output_shape(const Shape& input) const {
  require(input.rank() == 3,
          "Conv2d takes images [channels, height, width], got samples of shape " + input.text());
  require(input[0] == in_channels_, "Conv2d expects " + std::to_string(in_channels_) +
                                        " input channels, got samples of shape " + input.text());
  const Index out_height = window_output_size(input[1], window_);
  const Index out_width = window_output_size(input[2], window_);
  require(out_height >= 1 && out_width >= 1,
          "Conv2d kernel_size " + std::to_string(window_.kernel) + " (dilation " +
              std::to_string(window_.dilation) + ") is larger than the " +
              std::to_string(input[1]) + "x" + std::to_string(input[2]) + " input padded by " +
              std::to_string(window_.padding));
  geometry_ = {in_channels_ / groups_, input[1],         input[2],   window_.kernel, window_.stride,
               window_.padding,        window_.dilation, out_height, out_width};
  tap_offsets_ = kernels::wide_run_starts(geometry_);
  spread_offsets_.clear();
  for (Index o = 0; o < out_channels_ / groups_; ++o)
    spread_offsets_.push_back(o * spread_length());
  return Shape({out_channels_, out_height, out_width});
}

template <typename T>
std::vector<ParameterShape> Conv2d<T>::parameter_shapes() const {
  std::vector<ParameterShape> shapes{
      {"weight", {out_channels_, in_channels_ / groups_, window_.kernel, window_.kernel}}};
  if (has_bias()) shapes.push_back({"bias", {out_channels_}});
  return shapes;
}

template <typename T>
void Conv2d<T>::bind_parameters(T* values, T* gradients) {
  values_ = values;
  gradients_ = gradients;
}

// Called on every forward(): the messages are built only when thrown, so that a forward pass
// allocates nothing.
template <typename T>
void Conv2d<T>::check_rows(Index columns) const {
  if (geometry_.channels == 0) {
    throw std::invalid_argument(
        "Conv2d must be given its sample shape (output_shape) before forward");
  }
  const Index expected = in_channels_ * geometry_.height * geometry_.width;
  if (columns != expected) {
    throw std::invalid_argument("Conv2d was shaped for samples of " + std::to_string(expected) +
                                " values, got rows of " + std::to_string(columns));
  }
}

// output_g = weight_g · im2col(input_g) + bias_g, per sample and group g
//   [O/G, C/G·k·k] · [C/G·k·k, Ho·Wo] -> [O/G, Ho·Wo]
// For stride 1 the columns are never written: the product reads each tap's run of the padded
// image where it lies (kernels/indirect_product.hpp), over the wide positions, and the positions
// past the image's edge are dropped on the way out.
template <typename T>
ConstMatrixView<T> Conv2d<T>::forward(ConstMatrixView<T> input) {
  check_rows(input.cols());
  rebind(input_, input);
  const kernels::ConvolutionGeometry& g = geometry_;
  const bool wide = window_.stride == 1;
  const Index group_in = g.channels * g.height * g.width;
  const Index group_out = out_channels_ / groups_;
  const Index positions = g.positions();
  auto output = output_.reshape(input.rows(), out_channels_ * positions);
  const Index packed_size = kernels::packed_for_offsets_size<T>(group_out, g.patch_size());
  auto packed_weight = packed_weight_.reshape(1, wide ? groups_ * packed_size : 0);
  for (Index group = 0; wide && group < groups_; ++group) {
    kernels::pack_for_offsets<T>(group_out, g.patch_size(), weight().row(group * group_out).data(),
                                 g.patch_size(), 1, packed_weight.data() + group * packed_size);
  }
  // Scratch: wide, the padded image, the product over the wide positions [O/G, Ho·Wp] and the
  // product's own; otherwise im2col's columns [C/G·k·k, Ho·Wo].
  const Index share_size = wide ? g.padded_size() + group_out * g.wide_positions() +
                                      kernels::matmul_at_offsets_scratch_size<T>(g.patch_size())
                                : g.patch_size() * positions;
  auto scratch = scratch_.reshape(shares_for(pool_, input.rows()), share_size);
  for_shares(pool_, input.rows(), [&](Index share, Index first, Index end) {
    T* space = scratch.row(share).data();
    T* padded = space;
    T* wide_product = padded + g.padded_size();
    T* product_scratch = wide_product + group_out * g.wide_positions();
    for (Index n = first; n < end; ++n) {
      for (Index group = 0; group < groups_; ++group) {
        const T* image = input.row(n).data() + group * group_in;
        T* out = output.row(n).data() + group * group_out * positions;
        if (wide) {
          kernels::pad_image(image, g, padded);
          kernels::matmul_at_offsets<T>(group_out, g.wide_positions(), g.patch_size(),
                                        packed_weight.data() + group * packed_size, padded,
                                        tap_offsets_.data(), wide_product, g.wide_positions(),
                                        product_scratch);
        } else {
          kernels::im2col(image, g, space);
          kernels::matmul_ab<T>(weight().middleRows(group * group_out, group_out),
                                ConstMatrixView<T>(space, g.patch_size(), positions),
                                MatrixView<T>(out, group_out, positions));
        }
        for (Index o = 0; o < group_out; ++o) {
          const T* from = wide ? wide_product + o * g.wide_positions() : out + o * positions;
          T* to = out + o * positions;
          const T b = has_bias() ? bias()(group * group_out + o) : T(0);
          // The wide product's lines, less the positions past the image's edge.
          for (Index y = 0; y < (wide ? g.out_height : 1); ++y) {
            const Index length = wide ? g.out_width : positions;
            const T* line = from + y * g.padded_width();
            T* out_line = to + y * length;
            if (has_bias()) {
              for (Index x = 0; x < length; ++x)
                out_line[x] = line[x] + b;
            } else if (wide) {
              std::copy_n(line, length, out_line);
            }
          }
        }
      }
    }
  });
  return output_.const_view();
}

// dweight_g += doutput_g · im2col(input_g)ᵀ, dbias += Σ_{batch, y, x} doutput,
// dinput_g = col2im(weight_gᵀ · doutput_g)
template <typename T>
ConstMatrixView<T> Conv2d<T>::backward(ConstMatrixView<T> doutput) {
  auto dinput = dinput_.reshape(doutput.rows(), input_.cols());
  backward_into(doutput, dinput.data());
  return dinput_.const_view();
}

// dweight_g += doutput_g · im2col(input_g)ᵀ, dbias += Σ_{batch, y, x} doutput
template <typename T>
void Conv2d<T>::backward_parameters(ConstMatrixView<T> doutput) {
  backward_into(doutput, nullptr);
}

template <typename T>
Index Conv2d<T>::spread_length() const {
  constexpr Index kWidestVector = 16;
  return (geometry_.wide_positions() + kWidestVector - 1) / kWidestVector * kWidestVector;
}

// The weight gradient as dot products of doutput's rows with runs of the padded image:
//   dweight(o, tap) += Σ_{samples n of a chunk} Σ_q spread(n, o, q) · padded(n)[tap_offset + q]
// where spread is doutput over the wide positions, zero past the image's edge and past
// wide_positions() (so the runs' values there add nothing, unless one is infinite: 0·∞ is NaN,
// where torch keeps ±∞). No columns matrix is laid out, nor packed: kernels/correlate.hpp.
// The input gradient is col2im of weightᵀ · spread, per sample.
template <typename T>
void Conv2d<T>::backward_wide(ConstMatrixView<T> doutput, T* dinput) {
  const kernels::ConvolutionGeometry& g = geometry_;
  const Index batch = doutput.rows();
  const Index group_in = g.channels * g.height * g.width;
  const Index group_out = out_channels_ / groups_;
  const Index positions = g.positions();
  const Index length = spread_length();
  const Index chunks = (batch + kSamplesPerChunk - 1) / kSamplesPerChunk;
  const Index gradient_size = weight_size() + (has_bias() ? out_channels_ : 0);
  auto partials = partials_.reshape(chunks, gradient_size);
  // Scratch: for each sample of a chunk its padded image (with the values past it that the
  // rounded-up runs read, zero) and its spread doutput; for dinput, the columns' gradient and
  // the padded image's.
  const Index image_size = g.padded_size() + (length - g.wide_positions());
  const Index sample_size = image_size + group_out * length;
  const Index dcolumns_size = dinput != nullptr ? g.patch_size() * g.wide_positions() : 0;
  const Index dpadded_size = dinput != nullptr ? g.padded_size() : 0;
  const Index product_scratch_size =
      dinput != nullptr ? kernels::matmul_at_offsets_scratch_size<T>(group_out) : 0;
  auto scratch =
      scratch_.reshape(shares_for(pool_, chunks), kSamplesPerChunk * sample_size + dcolumns_size +
                                                      dpadded_size + product_scratch_size);
  // weightᵀ per group [C/G·k·k, O/G], packed once for all the samples' input gradients.
  const Index packed_size = kernels::packed_for_offsets_size<T>(g.patch_size(), group_out);
  auto packed_weight = packed_weight_.reshape(1, dinput != nullptr ? groups_ * packed_size : 0);
  for (Index group = 0; dinput != nullptr && group < groups_; ++group) {
    kernels::pack_for_offsets<T>(g.patch_size(), group_out, weight().row(group * group_out).data(),
                                 1, g.patch_size(), packed_weight.data() + group * packed_size);
  }
  for_shares(pool_, chunks, [&](Index share, Index first_chunk, Index end_chunk) {
    T* space = scratch.row(share).data();
    T* dcolumns = space + kSamplesPerChunk * sample_size;
    T* dpadded = dcolumns + dcolumns_size;
    T* product_scratch = dpadded + dpadded_size;
    for (Index chunk = first_chunk; chunk < end_chunk; ++chunk) {
      partials.row(chunk).setZero();
      T* dweight_sum = partials.row(chunk).data();
      const Index first = chunk * kSamplesPerChunk;
      const Index count = std::min(batch, first + kSamplesPerChunk) - first;
      for (Index group = 0; group < groups_; ++group) {
        const T* images[kSamplesPerChunk];
        const T* spreads[kSamplesPerChunk];
        for (Index t = 0; t < count; ++t) {
          T* image = space + t * sample_size;
          kernels::pad_image(input_.row(first + t).data() + group * group_in, g, image);
          std::fill(image + g.padded_size(), image + image_size, T(0));
          T* spread = image + image_size;
          const T* dout = doutput.row(first + t).data() + group * group_out * positions;
          for (Index o = 0; o < group_out; ++o) {
            T* row = spread + o * length;
            for (Index y = 0; y < g.out_height; ++y) {
              T* to = row + y * g.padded_width();
              std::copy_n(dout + (o * g.out_height + y) * g.out_width, g.out_width, to);
              std::fill(to + g.out_width, to + g.padded_width(), T(0));
            }
            std::fill(row + g.wide_positions(), row + length, T(0));
          }
          images[t] = image;
          spreads[t] = spread;
        }
        kernels::correlate_add<T>(group_out, g.patch_size(), length, count, spreads,
                                  spread_offsets_.data(), images, tap_offsets_.data(),
                                  dweight_sum + group * group_out * g.patch_size(), g.patch_size());
        if (dinput == nullptr) continue;
        for (Index t = 0; t < count; ++t) {
          // dcolumns = weight_gᵀ · spread, the spread's rows `length` apart
          kernels::matmul_at_offsets<T>(g.patch_size(), g.wide_positions(), group_out,
                                        packed_weight.data() + group * packed_size, spreads[t],
                                        spread_offsets_.data(), dcolumns, g.wide_positions(),
                                        product_scratch);
          std::fill(dpadded, dpadded + dpadded_size, T(0));
          kernels::wide_col2im_add(dcolumns, g, dpadded);
          kernels::crop_image(
              dpadded, g,
              dinput + (first + t) * in_channels_ * g.height * g.width + group * group_in);
        }
      }
      if (has_bias()) {
        T* dbias_sum = dweight_sum + weight_size();
        for (Index t = 0; t < count; ++t) {
          for (Index o = 0; o < out_channels_; ++o)
            dbias_sum[o] += sum_of(doutput.row(first + t).data() + o * positions, positions);
        }
      }
    }
  });
  Eigen::Map<Eigen::Matrix<T, 1, Eigen::Dynamic>> gradients(gradients_, gradient_size);
  for (Index chunk = 0; chunk < chunks; ++chunk)
    gradients += partials.row(chunk);
}

// For stride > 1: im2col's columns per sample and group, and matrix products.
template <typename T>
void Conv2d<T>::backward_into(ConstMatrixView<T> doutput, T* dinput) {
  if (window_.stride == 1) {
    backward_wide(doutput, dinput);
    return;
  }
  const kernels::ConvolutionGeometry& g = geometry_;
  const Index batch = doutput.rows();
  const Index group_in = g.channels * g.height * g.width;
  const Index group_out = out_channels_ / groups_;
  const Index positions = g.positions();
  const Index chunks = (batch + kSamplesPerChunk - 1) / kSamplesPerChunk;
  const Index gradient_size = weight_size() + (has_bias() ? out_channels_ : 0);
  auto partials = partials_.reshape(chunks, gradient_size);
  // Scratch: im2col's columns, then for dinput the columns' gradient.
  const Index columns_size = g.patch_size() * positions;
  const Index dcolumns_size = dinput != nullptr ? columns_size : 0;
  auto scratch = scratch_.reshape(shares_for(pool_, chunks), columns_size + dcolumns_size);
  for_shares(pool_, chunks, [&](Index share, Index first_chunk, Index end_chunk) {
    T* space = scratch.row(share).data();
    MatrixView<T> dcolumns(space + columns_size, g.patch_size(), positions);
    for (Index chunk = first_chunk; chunk < end_chunk; ++chunk) {
      partials.row(chunk).setZero();
      MatrixView<T> dweight_sum(partials.row(chunk).data(), out_channels_, g.patch_size());
      T* dbias_sum = partials.row(chunk).data() + weight_size();
      const Index end = std::min(batch, (chunk + 1) * kSamplesPerChunk);
      for (Index n = chunk * kSamplesPerChunk; n < end; ++n) {
        T* dinput_row =
            dinput != nullptr ? dinput + n * in_channels_ * g.height * g.width : nullptr;
        if (dinput_row != nullptr) std::fill(dinput_row, dinput_row + groups_ * group_in, T(0));
        for (Index group = 0; group < groups_; ++group) {
          kernels::im2col(input_.row(n).data() + group * group_in, g, space);
          const ConstMatrixView<T> columns(space, g.patch_size(), positions);
          const ConstMatrixView<T> dproduct(doutput.row(n).data() + group * group_out * positions,
                                            group_out, positions);
          kernels::matmul_abt_add<T>(dproduct, columns,
                                     dweight_sum.middleRows(group * group_out, group_out));
          if (dinput_row == nullptr) continue;
          const auto group_weight = weight().middleRows(group * group_out, group_out);
          kernels::matmul_atb<T>(group_weight, dproduct, dcolumns);
          kernels::col2im_add(dcolumns.data(), g, dinput_row + group * group_in);
        }
        if (has_bias()) {
          for (Index o = 0; o < out_channels_; ++o)
            dbias_sum[o] += sum_of(doutput.row(n).data() + o * positions, positions);
        }
      }
    }
  });
  // The chunks' sums, in chunk order; weight and bias sit back to back in both buffers.
  Eigen::Map<Eigen::Matrix<T, 1, Eigen::Dynamic>> gradients(gradients_, gradient_size);
  for (Index chunk = 0; chunk < chunks; ++chunk)
    gradients += partials.row(chunk);
}

template class Conv2d<float>;
template class Conv2d<double>;

}  // namespace scratchnet
