#pragma once
// Plain stochastic gradient descent over the model's flat parameter buffer:
//   θ ← θ − lr · ∇θ

#include "scratchnet/matrix.hpp"

namespace scratchnet {

template <typename T>
class Sgd {
 public:
  /// Gradient descent with step size `learning_rate`.
  explicit Sgd(T learning_rate) : learning_rate_(learning_rate) {}

  /// One update of every parameter from its gradient; both views have the same length.
  void step(VectorView<T> parameters, VectorView<T> gradients) const;

  T learning_rate() const { return learning_rate_; }

 private:
  T learning_rate_;
};

}  // namespace scratchnet
