#include "scratchnet/layers/max_pool2d.hpp"

#include <algorithm>
#include <limits>

#include "pool_planes.hpp"

namespace scratchnet {
namespace {

constexpr const char* kMaxPoolKind = "MaxPool2d";

// Whether `value` replaces the window's maximum so far: torch's test, which keeps the first of
// equal maxima and lets a NaN (even after another NaN) win. Written for selects, not branches:
// on random data a branch here mispredicts every other time.
template <typename T>
bool replaces(T value, T maximum) {
  return (value > maximum) | (value != value);
}

// One plane, any window (padding is −∞). Each row of outputs is updated tap by tap, the window's
// rows then its columns, so every output still sees its taps in row-major order (torch's), and
// the loop over the outputs of a row has no branch to mispredict.
template <typename T>
void pool_plane(const T* x, T* y, std::int32_t* argmax, const pooling::Planes& p,
                const Window& window) {
  const Index k = window.kernel, s = window.stride, pad = window.padding;
  for (Index i = 0; i < p.out_height; ++i) {
    const auto rows = pooling::clipped(i * s - pad, k, p.height);
    T* __restrict maximum = y + i * p.out_width;
    std::int32_t* __restrict best = argmax + i * p.out_width;
    // As torch starts: −∞ at the window's first value in the image (padding <= kernel / 2
    // leaves every window one), which a −∞ value then does not replace.
    for (Index j = 0; j < p.out_width; ++j) {
      maximum[j] = -std::numeric_limits<T>::infinity();
      best[j] = std::int32_t(rows.first * p.width + std::max<Index>(j * s - pad, 0));
    }
    for (Index h = rows.first; h < rows.end; ++h) {
      const T* __restrict row = x + h * p.width;
      for (Index tap = 0; tap < k; ++tap) {
        // The outputs whose column j·s − pad + tap is in the image: j·s >= pad − tap and
        // j·s <= width − 1 + pad − tap, none when that bound is negative (division by s would
        // round it up to 0, a column past the image's edge).
        const Index first = pad - tap <= 0 ? 0 : (pad - tap + s - 1) / s;
        const Index last = p.width - 1 + pad - tap;
        const Index end = last < 0 ? 0 : std::min(p.out_width, last / s + 1);
        for (Index j = first; j < end; ++j) {
          const Index w = j * s - pad + tap;
          const T value = row[w];
          const bool take = replaces(value, maximum[j]);
          const T kept = maximum[j];
          const std::int32_t kept_at = best[j];
          maximum[j] = take ? value : kept;
          best[j] = take ? std::int32_t(h * p.width + w) : kept_at;
        }
      }
    }
  }
}

// One plane, kernel 2, stride 2, no padding (LeNet's pools): a row of outputs from two rows of
// the image, the window's four values compared in torch's order, in a loop the compiler
// vectorises.
template <typename T>
void pool_plane_2x2(const T* __restrict x, T* __restrict y, std::int32_t* __restrict argmax,
                    const pooling::Planes& p) {
  const auto width = std::int32_t(p.width);
  for (Index i = 0; i < p.out_height; ++i) {
    const T* __restrict top = x + 2 * i * p.width;
    const T* __restrict bottom = top + p.width;
    T* __restrict out = y + i * p.out_width;
    std::int32_t* __restrict at = argmax + i * p.out_width;
    const auto row_start = std::int32_t(2 * i * p.width);
    for (Index j = 0; j < p.out_width; ++j) {
      const T a = top[2 * j], b = top[2 * j + 1], c = bottom[2 * j], d = bottom[2 * j + 1];
      T maximum = a;
      std::int32_t offset = 0;
      bool take = replaces(b, maximum);
      maximum = take ? b : maximum;
      offset = take ? 1 : offset;
      take = replaces(c, maximum);
      maximum = take ? c : maximum;
      offset = take ? width : offset;
      take = replaces(d, maximum);
      maximum = take ? d : maximum;
      offset = take ? width + 1 : offset;
      out[j] = maximum;
      at[j] = row_start + std::int32_t(2 * j) + offset;
    }
  }
}

// dinput of one plane, any window: the outputs' gradients added at their maxima, in the
// outputs' order, so that overlapping windows add in one fixed order.
template <typename T>
void unpool_plane(const T* dy, const std::int32_t* argmax, T* dx, const pooling::Planes& p) {
  std::fill(dx, dx + p.in_size(), T(0));
  for (Index k = 0; k < p.out_size(); ++k)
    dx[argmax[k]] += dy[k];
}

}  // namespace

template <typename T>
MaxPool2d<T>::MaxPool2d(Window window) : WindowPool<T>(kMaxPoolKind, window) {}

template <typename T>
LayerDescription MaxPool2d<T>::describe() const {
  return {kMaxPoolKind,
          {{"kernel_size", std::int64_t{this->window_.kernel}},
           {"stride", std::int64_t{this->window_.stride}},
           {"padding", std::int64_t{this->window_.padding}},
           {"dilation", std::int64_t{1}},
           {"return_indices", false},
           {"ceil_mode", false}}};
}

// y[n, c, i, j] = max_{(h, w) in window(i, j)} x[n, c, h, w]; argmax keeps the first such (h, w)
template <typename T>
ConstMatrixView<T> MaxPool2d<T>::forward(ConstMatrixView<T> input) {
  const auto p = pooling::window_planes(
      kMaxPoolKind, this->window_, pooling::given_shape(kMaxPoolKind, this->input_, input.cols()));
  auto output = this->output_.reshape(input.rows(), p.channels * p.out_size());
  const auto outputs = static_cast<std::size_t>(output.size());
  if (argmax_.size() < outputs) argmax_.resize(outputs);
  const bool two_by_two =
      this->window_.kernel == 2 && this->window_.stride == 2 && this->window_.padding == 0;
  const auto planes = [&](Index first, Index count) {
    for (Index plane = first; plane < first + count; ++plane) {
      const T* x = input.data() + plane * p.in_size();
      T* y = output.data() + plane * p.out_size();
      std::int32_t* argmax = argmax_.data() + plane * p.out_size();
      if (two_by_two) {
        pool_plane_2x2(x, y, argmax, p);
      } else {
        pool_plane(x, y, argmax, p, this->window_);
      }
    }
  };
  pooling::for_planes(this->pool_, input.rows() * p.channels, p.in_size(), planes);
  return this->output_.const_view();
}

// dx[n, c, h, w] = Σ over the outputs whose argmax is (h, w) of dy[n, c, i, j]
template <typename T>
ConstMatrixView<T> MaxPool2d<T>::backward(ConstMatrixView<T> doutput) {
  const pooling::Planes p = pooling::window_planes(kMaxPoolKind, this->window_, *this->input_);
  auto dinput = this->dinput_.reshape(doutput.rows(), p.channels * p.in_size());
  const auto planes = [&](Index first, Index count) {
    for (Index plane = first; plane < first + count; ++plane) {
      const T* dy = doutput.data() + plane * p.out_size();
      const std::int32_t* argmax = argmax_.data() + plane * p.out_size();
      T* dx = dinput.data() + plane * p.in_size();
      unpool_plane(dy, argmax, dx, p);
    }
  };
  pooling::for_planes(this->pool_, doutput.rows() * p.channels, p.in_size(), planes);
  return this->dinput_.const_view();
}

template class MaxPool2d<float>;
template class MaxPool2d<double>;

}  // namespace scratchnet
