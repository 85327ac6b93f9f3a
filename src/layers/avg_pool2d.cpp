#include "scratchnet/layers/avg_pool2d.hpp"

#include <algorithm>

#include "pool_planes.hpp"

namespace scratchnet {
namespace {

constexpr const char* kAvgPoolKind = "AvgPool2d";

// torch's divisor with count_include_pad: the window clipped to the padded image (k² unless
// the window runs past the padding, which it cannot without ceil_mode).
Index divisor(Index start, Index kernel, Index size, Index padding) {
  return std::min(start + kernel, size + padding) - start;
}

// One plane: each window's sum over the image, divided by torch's divisor.
template <typename T>
void average_plane(const T* x, T* y, const pooling::Planes& p, const Window& window) {
  const Index k = window.kernel, s = window.stride, pad = window.padding;
  for (Index i = 0; i < p.out_height; ++i) {
    const auto rows = pooling::clipped(i * s - pad, k, p.height);
    const Index tall = divisor(i * s - pad, k, p.height, pad);
    for (Index j = 0; j < p.out_width; ++j) {
      const auto columns = pooling::clipped(j * s - pad, k, p.width);
      T sum = 0;
      for (Index h = rows.first; h < rows.end; ++h)
        for (Index w = columns.first; w < columns.end; ++w)
          sum += x[h * p.width + w];
      y[i * p.out_width + j] = sum / T(tall * divisor(j * s - pad, k, p.width, pad));
    }
  }
}

// One plane's dinput: each output's share added over its window, in the outputs' order, so that
// overlapping windows add in one fixed order.
template <typename T>
void spread_plane(const T* dy, T* dx, const pooling::Planes& p, const Window& window) {
  const Index k = window.kernel, s = window.stride, pad = window.padding;
  std::fill(dx, dx + p.in_size(), T(0));
  for (Index i = 0; i < p.out_height; ++i) {
    const auto rows = pooling::clipped(i * s - pad, k, p.height);
    const Index tall = divisor(i * s - pad, k, p.height, pad);
    for (Index j = 0; j < p.out_width; ++j) {
      const auto columns = pooling::clipped(j * s - pad, k, p.width);
      const T share = dy[i * p.out_width + j] / T(tall * divisor(j * s - pad, k, p.width, pad));
      for (Index h = rows.first; h < rows.end; ++h)
        for (Index w = columns.first; w < columns.end; ++w)
          dx[h * p.width + w] += share;
    }
  }
}

}  // namespace

template <typename T>
AvgPool2d<T>::AvgPool2d(Window window) : WindowPool<T>(kAvgPoolKind, window) {}

template <typename T>
LayerDescription AvgPool2d<T>::describe() const {
  return {kAvgPoolKind,
          {{"kernel_size", std::int64_t{this->window_.kernel}},
           {"stride", std::int64_t{this->window_.stride}},
           {"padding", std::int64_t{this->window_.padding}},
           {"ceil_mode", false},
           {"count_include_pad", true}}};
}

// y[n, c, i, j] = Σ_{(h, w) in window(i, j) ∩ image} x[n, c, h, w] / k²
template <typename T>
ConstMatrixView<T> AvgPool2d<T>::forward(ConstMatrixView<T> input) {
  const auto p = pooling::window_planes(
      kAvgPoolKind, this->window_, pooling::given_shape(kAvgPoolKind, this->input_, input.cols()));
  auto output = this->output_.reshape(input.rows(), p.channels * p.out_size());
  const auto planes = [&](Index first, Index count) {
    for (Index plane = first; plane < first + count; ++plane)
      average_plane(input.data() + plane * p.in_size(), output.data() + plane * p.out_size(), p,
                    this->window_);
  };
  pooling::for_planes(this->pool_, input.rows() * p.channels, p.in_size(), planes);
  return this->output_.const_view();
}

// dx[n, c, h, w] = Σ over the windows (i, j) holding (h, w) of dy[n, c, i, j] / k²
template <typename T>
ConstMatrixView<T> AvgPool2d<T>::backward(ConstMatrixView<T> doutput) {
  const pooling::Planes p = pooling::window_planes(kAvgPoolKind, this->window_, *this->input_);
  auto dinput = this->dinput_.reshape(doutput.rows(), p.channels * p.in_size());
  const auto planes = [&](Index first, Index count) {
    for (Index plane = first; plane < first + count; ++plane)
      spread_plane(doutput.data() + plane * p.out_size(), dinput.data() + plane * p.in_size(), p,
                   this->window_);
  };
  pooling::for_planes(this->pool_, doutput.rows() * p.channels, p.in_size(), planes);
  return this->dinput_.const_view();
}

template class AvgPool2d<float>;
template class AvgPool2d<double>;

}  // namespace scratchnet
