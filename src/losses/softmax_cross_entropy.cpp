#include "scratchnet/losses/softmax_cross_entropy.hpp"
#include "scratchnet/text/shortest.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace scratchnet {
// L = (1/B) Σ_i (log Σ_k e^(x_ik − m_i)) − (x_i,c_i − m_i): every exponent is <= 0, so nothing
// overflows, and the row sum is at least 1, so its log is finite.
template <typename T>
T SoftmaxCrossEntropy<T>::forward(ConstMatrixRef<T> prediction, ConstMatrixRef<T> target) {
  const Index batch = prediction.rows(), classes = prediction.cols();
  if (target.rows() != batch || target.cols() != 1) {
    throw std::invalid_argument("SoftmaxCrossEntropy: target must be [batch, 1] class indices, [" +
                                std::to_string(batch) + ", 1] here, but is [" +
                                std::to_string(target.rows()) + ", " +
                                std::to_string(target.cols()) + "]");
  }
  if (prediction.size() == 0) throw std::invalid_argument("SoftmaxCrossEntropy: empty batch");
  labels_.resize(std::size_t(batch));
  for (Index i = 0; i < batch; ++i) {
    const T label = target(i, 0);
    if (!(label >= 0 && label < T(classes) && std::floor(label) == label)) {  // rejects NaN too
      throw std::invalid_argument("SoftmaxCrossEntropy: target row " + std::to_string(i) +
                                  " holds " + shortest(double(label)) +
                                  ", not a class index in [0, " + std::to_string(classes) + ")");
    }
    labels_[std::size_t(i)] = Index(label);
  }

  auto row_max = row_max_.reshape(batch, 1).col(0);
  auto probabilities = probabilities_.reshape(batch, classes);
  auto row_sum = row_sum_.reshape(batch, 1).col(0);
  row_max = prediction.rowwise().maxCoeff();
  probabilities = (prediction.colwise() - row_max).array().exp().matrix();
  row_sum = probabilities.rowwise().sum();
  T loss = 0;
  for (Index i = 0; i < batch; ++i)
    loss += std::log(row_sum(i)) - (prediction(i, labels_[std::size_t(i)]) - row_max(i));
  probabilities.array().colwise() /= row_sum.array();
  return loss / T(this->mean_rows(batch));
}

// dL/dx = (p − onehot(c)) / B
template <typename T>
ConstMatrixView<T> SoftmaxCrossEntropy<T>::backward() {
  const auto probabilities = probabilities_.view();
  const Index batch = probabilities.rows();
  const T mean_rows = T(this->mean_rows(batch));
  auto dprediction = dprediction_.reshape(batch, probabilities.cols());
  dprediction = probabilities / mean_rows;
  for (Index i = 0; i < batch; ++i)
    dprediction(i, labels_[std::size_t(i)]) -= T(1) / mean_rows;
  return dprediction_.const_view();
}

template class SoftmaxCrossEntropy<float>;
template class SoftmaxCrossEntropy<double>;

}  // namespace scratchnet
