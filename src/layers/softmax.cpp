#include "scratchnet/layers/softmax.hpp"

namespace scratchnet {

// y_ij = e^(x_ij − m_i) / Σ_k e^(x_ik − m_i): the largest exponent is e⁰ = 1, so nothing
// overflows and each row's sum is at least 1.
template <typename T>
const Matrix<T>& Softmax<T>::forward(const Matrix<T>& input) {
  row_max_ = input.rowwise().maxCoeff();
  output_ = (input.colwise() - row_max_).array().exp().matrix();
  row_sum_ = output_.rowwise().sum();
  output_.array().colwise() /= row_sum_.array();
  return output_;
}

// dx = y ⊙ (dy − rowsum(dy ⊙ y))
template <typename T>
const Matrix<T>& Softmax<T>::backward(const Matrix<T>& doutput) {
  row_dot_ = doutput.cwiseProduct(output_).rowwise().sum();
  dinput_ = output_.cwiseProduct(doutput.colwise() - row_dot_);
  return dinput_;
}

template class Softmax<float>;
template class Softmax<double>;

}  // namespace scratchnet
