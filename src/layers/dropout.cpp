#include "scratchnet/layers/dropout.hpp"
#include "scratchnet/text/shortest.hpp"

#include <stdexcept>
#include <string>

namespace scratchnet {
template <typename T>
Dropout<T>::Dropout(double p) : p_(p), scale_(T(1.0 / (1.0 - p))) {
  if (!(p >= 0 && p < 1)) {  // also rejects NaN
    throw std::invalid_argument("Dropout probability must be in [0, 1), got " + shortest(p));
  }
}

// training: y = x ⊙ m,  m_ij = (u_ij >= p ? 1/(1−p) : 0);  evaluation: y = x
template <typename T>
ConstMatrixView<T> Dropout<T>::forward(ConstMatrixView<T> input) {
  masked_ = training();
  if (!masked_) return input;  // the identity needs no copy
  auto mask = mask_.reshape(input.rows(), input.cols());
  for (Index row = 0; row < mask.rows(); ++row) {
    const std::uint64_t key = random_->row_key(row);
    for (Index column = 0; column < mask.cols(); ++column)
      mask(row, column) = SampleRandom::uniform_at(key, column) >= p_ ? scale_ : T(0);
  }
  output_.reshape(input.rows(), input.cols()) = input.cwiseProduct(mask);
  return output_.const_view();
}

// dx = dy ⊙ m, with the mask of the last forward(); dx = dy in evaluation mode
template <typename T>
ConstMatrixView<T> Dropout<T>::backward(ConstMatrixView<T> doutput) {
  if (!masked_) return doutput;
  dinput_.reshape(doutput.rows(), doutput.cols()) = doutput.cwiseProduct(mask_.view());
  return dinput_.const_view();
}

template class Dropout<float>;
template class Dropout<double>;

}  // namespace scratchnet
