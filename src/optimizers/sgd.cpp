#include "scratchnet/optimizers/sgd.hpp"

#include <cassert>

namespace scratchnet {

// θ ← θ − lr · ∇θ
template <typename T>
void Sgd<T>::step(VectorView<T> parameters, VectorView<T> gradients) const {
  assert(parameters.size() == gradients.size());
  parameters -= learning_rate_ * gradients;
}

template class Sgd<float>;
template class Sgd<double>;

}  // namespace scratchnet
