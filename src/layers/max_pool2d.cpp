#include "scratchnet/layers/max_pool2d.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "pool_planes.hpp"

namespace scratchnet {
namespace {

constexpr const char* kKind = "MaxPool2d";

// Whether `value` replaces the window's maximum so far: torch's test, which keeps the first of
// equal maxima and lets a NaN (even after another NaN) win.
template <typename T>
bool replaces(T value, T maximum) {
  return value > maximum || std::isnan(value);
}

// One plane, any window: each output scans its window clipped to the image (padding is −∞).
template <typename T>
void pool_plane(const T* x, T* y, std::int32_t* argmax, const pooling::Planes& p,
                const Window& window) {
  for (Index i = 0; i < p.out_height; ++i) {
    const auto rows = pooling::clipped(i * window.stride - window.padding, window.kernel, p.height);
    for (Index j = 0; j < p.out_width; ++j) {
      const auto columns =
          pooling::clipped(j * window.stride - window.padding, window.kernel, p.width);
      // Never empty: padding <= kernel / 2 leaves every window a value of the image.
      Index best = rows.first * p.width + columns.first;
      T maximum = x[best];
      for (Index h = rows.first; h < rows.end; ++h) {
        for (Index w = columns.first; w < columns.end; ++w) {
          if (replaces(x[h * p.width + w], maximum)) {
            maximum = x[h * p.width + w];
            best = h * p.width + w;
          }
        }
      }
      y[i * p.out_width + j] = maximum;
      argmax[i * p.out_width + j] = std::int32_t(best);
    }
  }
}

}  // namespace

template <typename T>
MaxPool2d<T>::MaxPool2d(Window window) : window_(window) {
  pooling::check_window(kKind, window_);
}

template <typename T>
LayerDescription MaxPool2d<T>::describe() const {
  return {kKind,
          {{"kernel_size", std::int64_t{window_.kernel}},
           {"stride", std::int64_t{window_.stride}},
           {"padding", std::int64_t{window_.padding}},
           {"dilation", std::int64_t{1}},
           {"return_indices", false},
           {"ceil_mode", false}}};
}

template <typename T>
Shape MaxPool2d<T>::output_shape(const Shape& input) const {
  const pooling::Planes p = pooling::window_planes(kKind, window_, input);
  input_ = input;
  return Shape{p.channels, p.out_height, p.out_width};
}

// y[n, c, i, j] = max_{(h, w) in window(i, j)} x[n, c, h, w]; argmax keeps the first such (h, w)
template <typename T>
ConstMatrixView<T> MaxPool2d<T>::forward(ConstMatrixView<T> input) {
  const auto p =
      pooling::window_planes(kKind, window_, pooling::given_shape(kKind, input_, input.cols()));
  auto output = output_.reshape(input.rows(), p.channels * p.out_size());
  const auto outputs = static_cast<std::size_t>(output.size());
  if (argmax_.size() < outputs) argmax_.resize(outputs);
  pooling::for_planes(pool_, input.rows() * p.channels, p.in_size(), [&](Index first, Index count) {
    for (Index plane = first; plane < first + count; ++plane) {
      pool_plane(input.data() + plane * p.in_size(), output.data() + plane * p.out_size(),
                 argmax_.data() + plane * p.out_size(), p, window_);
    }
  });
  return output_.const_view();
}

// dx[n, c, h, w] = Σ over the outputs whose argmax is (h, w) of dy[n, c, i, j]
template <typename T>
ConstMatrixView<T> MaxPool2d<T>::backward(ConstMatrixView<T> doutput) {
  const pooling::Planes p = pooling::window_planes(kKind, window_, *input_);
  auto dinput = dinput_.reshape(doutput.rows(), p.channels * p.in_size());
  pooling::for_planes(pool_, doutput.rows() * p.channels, p.in_size(),
                      [&](Index first, Index count) {
                        for (Index plane = first; plane < first + count; ++plane) {
                          T* dx = dinput.data() + plane * p.in_size();
                          const T* dy = doutput.data() + plane * p.out_size();
                          const std::int32_t* argmax = argmax_.data() + plane * p.out_size();
                          std::fill(dx, dx + p.in_size(), T(0));
                          // Outputs in order, so that overlapping windows add in one fixed order.
                          for (Index k = 0; k < p.out_size(); ++k)
                            dx[argmax[k]] += dy[k];
                        }
                      });
  return dinput_.const_view();
}

template class MaxPool2d<float>;
template class MaxPool2d<double>;

}  // namespace scratchnet
