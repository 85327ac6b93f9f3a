#include "scratchnet/losses/binary_cross_entropy_with_logits.hpp"
#include "scratchnet/text/shortest.hpp"

#include <charconv>
#include <iterator>
#include <stdexcept>
#include <string>

namespace scratchnet {

// L = (1/N) Σ max(x, 0) − x·y + log1p(e^(−|x|)): e^(−|x|) <= 1, so nothing overflows for any
// finite logit, and log1p keeps the digits of log(1 + e^(−|x|)) when e^(−|x|) is tiny.
template <typename T>
T BinaryCrossEntropyWithLogits<T>::forward(ConstMatrixRef<T> prediction, ConstMatrixRef<T> target) {
  this->require_same_shape("BinaryCrossEntropyWithLogits", prediction, target);
  for (Index r = 0; r < target.rows(); ++r) {
    for (Index c = 0; c < target.cols(); ++c) {
      if (!(target(r, c) >= 0 && target(r, c) <= 1)) {  // also rejects NaN
        throw std::invalid_argument("BinaryCrossEntropyWithLogits: target (" + std::to_string(r) +
                                    ", " + std::to_string(c) + ") is " +
                                    shortest(double(target(r, c))) + ", not in [0, 1]");
      }
    }
  }
  const auto x = prediction.array();
  const auto y = target.array();
  // σ(x) = 1 / (1 + e^(−x)): e^(−x) may be inf for x ≪ 0, and then σ is exactly 0, as in torch.
  residual_.reshape(prediction.rows(), prediction.cols()) =
      (T(1) / (T(1) + (-x).exp()) - y).matrix();
  return (x.max(T(0)) - x * y + (-x.abs()).exp().log1p()).sum() /
         T(this->mean_rows(prediction.rows()) * prediction.cols());
}

// dL/dx = (σ(x) − y) / N
template <typename T>
ConstMatrixView<T> BinaryCrossEntropyWithLogits<T>::backward() {
  const auto residual = residual_.view();
  const T count = T(this->mean_rows(residual.rows()) * residual.cols());
  dprediction_.reshape(residual.rows(), residual.cols()) = residual / count;
  return dprediction_.const_view();
}

template class BinaryCrossEntropyWithLogits<float>;
template class BinaryCrossEntropyWithLogits<double>;

}  // namespace scratchnet
