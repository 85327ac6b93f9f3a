#include "scratchnet/layers/adaptive_avg_pool2d.hpp"

#include <algorithm>

#include "pool_planes.hpp"

namespace scratchnet {
namespace {

constexpr const char* kAdaptiveAvgPoolKind = "AdaptiveAvgPool2d";

}  // namespace

template <typename T>
LayerDescription AdaptiveAvgPool2d<T>::describe() const {
  return {kAdaptiveAvgPoolKind, {{"output_size", std::int64_t{1}}}};
}

template <typename T>
Shape AdaptiveAvgPool2d<T>::output_shape(const Shape& input) const {
  const pooling::Planes p = pooling::whole_planes(kAdaptiveAvgPoolKind, input);
  input_ = input;
  return Shape{p.channels, 1, 1};
}

// y[n, c] = Σ_{h, w} x[n, c, h, w] / H / W, summed in row-major order and divided twice, as torch
template <typename T>
ConstMatrixView<T> AdaptiveAvgPool2d<T>::forward(ConstMatrixView<T> input) {
  const auto p = pooling::whole_planes(
      kAdaptiveAvgPoolKind, pooling::given_shape(kAdaptiveAvgPoolKind, input_, input.cols()));
  auto output = output_.reshape(input.rows(), p.channels);
  const auto planes = [&](Index first, Index count) {
    for (Index plane = first; plane < first + count; ++plane) {
      const T* x = input.data() + plane * p.in_size();
      T sum = 0;
      for (Index k = 0; k < p.in_size(); ++k)
        sum += x[k];
      output.data()[plane] = sum / T(p.height) / T(p.width);
    }
  };
  pooling::for_planes(pool_, input.rows() * p.channels, p.in_size(), planes);
  return output_.const_view();
}

// dx[n, c, h, w] = dy[n, c] / H / W
template <typename T>
ConstMatrixView<T> AdaptiveAvgPool2d<T>::backward(ConstMatrixView<T> doutput) {
  const pooling::Planes p = pooling::whole_planes(kAdaptiveAvgPoolKind, *input_);
  auto dinput = dinput_.reshape(doutput.rows(), p.channels * p.in_size());
  const auto planes = [&](Index first, Index count) {
    for (Index plane = first; plane < first + count; ++plane) {
      T* dx = dinput.data() + plane * p.in_size();
      std::fill(dx, dx + p.in_size(), doutput.data()[plane] / T(p.height) / T(p.width));
    }
  };
  pooling::for_planes(pool_, doutput.rows() * p.channels, p.in_size(), planes);
  return dinput_.const_view();
}

template class AdaptiveAvgPool2d<float>;
template class AdaptiveAvgPool2d<double>;

}  // namespace scratchnet
