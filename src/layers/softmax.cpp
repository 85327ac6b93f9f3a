#include "scratchnet/layers/softmax.hpp"

#include <stdexcept>

namespace scratchnet {

template <typename T>
Shape Softmax<T>::output_shape(const Shape& input) const {
  if (!input.is_flat()) {
    throw std::invalid_argument("Softmax layer takes flat samples, got samples of shape " +
                                input.text());
  }
  return input;
}

// y_ij = e^(x_ij − m_i) / Σ_k e^(x_ik − m_i): the largest exponent is e⁰ = 1, so nothing
// overflows and each row's sum is at least 1.
template <typename T>
ConstMatrixView<T> Softmax<T>::forward(ConstMatrixView<T> input) {
  auto row_max = row_max_.reshape(input.rows(), 1).col(0);
  auto output = output_.reshape(input.rows(), input.cols());
  auto row_sum = row_sum_.reshape(input.rows(), 1).col(0);
  row_max = input.rowwise().maxCoeff();
  output = (input.colwise() - row_max).array().exp().matrix();
  row_sum = output.rowwise().sum();
  output.array().colwise() /= row_sum.array();
  return output_.const_view();
}

// dx = y ⊙ (dy − rowsum(dy ⊙ y))
template <typename T>
ConstMatrixView<T> Softmax<T>::backward(ConstMatrixView<T> doutput) {
  const auto output = output_.view();
  auto row_dot = row_dot_.reshape(doutput.rows(), 1).col(0);
  row_dot = doutput.cwiseProduct(output).rowwise().sum();
  dinput_.reshape(doutput.rows(), doutput.cols()) =
      output.cwiseProduct(doutput.colwise() - row_dot);
  return dinput_.const_view();
}

template class Softmax<float>;
template class Softmax<double>;

}  // namespace scratchnet
