#include "scratchnet/layers/window_pool.hpp"

#include "pool_planes.hpp"

namespace scratchnet {

template <typename T>
WindowPool<T>::WindowPool(const char* kind, Window window) : kind_(kind), window_(window) {
  pooling::check_window(kind_, window_);
}

template <typename T>
Shape WindowPool<T>::output_shape(const Shape& input) const {
  const pooling::Planes p = pooling::window_planes(kind_, window_, input);
  input_ = input;
  return Shape{p.channels, p.out_height, p.out_width};
}

template class WindowPool<float>;
template class WindowPool<double>;

}  // namespace scratchnet
