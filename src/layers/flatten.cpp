#include "scratchnet/layers/flatten.hpp"

namespace scratchnet {

template <typename T>
LayerDescription Flatten<T>::describe() const {
  return {"Flatten", {{"start_dim", std::int64_t{1}}, {"end_dim", std::int64_t{-1}}}};
}

template <typename T>
Shape Flatten<T>::output_shape(const Shape& input) const {
  return Shape(input.elements());
}

// y = x: NCHW rows are already the flattened samples
template <typename T>
ConstMatrixView<T> Flatten<T>::forward(ConstMatrixView<T> input) {
  return input;
}

// dx = dy
template <typename T>
ConstMatrixView<T> Flatten<T>::backward(ConstMatrixView<T> doutput) {
  return doutput;
}

template class Flatten<float>;
template class Flatten<double>;

}  // namespace scratchnet
