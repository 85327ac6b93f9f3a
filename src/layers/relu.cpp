#include "scratchnet/layers/relu.hpp"

namespace scratchnet {

// y = max(x, 0)
template <typename T>
const Matrix<T>& ReLU<T>::forward(const Matrix<T>& input) {
  output_ = input.array().max(T(0)).matrix();
  return output_;
}

// dx = dy ⊙ (y > 0), i.e. dy where x > 0 and 0 elsewhere (0 at x = 0, as torch)
template <typename T>
const Matrix<T>& ReLU<T>::backward(const Matrix<T>& doutput) {
  dinput_ = (output_.array() > T(0)).select(doutput, T(0));
  return dinput_;
}

template class ReLU<float>;
template class ReLU<double>;

}  // namespace scratchnet
