#include "scratchnet/optimizers/sgd.hpp"

#include <cmath>
#include <stdexcept>

namespace scratchnet {
namespace {

std::vector<std::string> sgd_state_names(const SgdOptions& options) {
  if (options.momentum != 0) return {"momentum_buffer"};
  return {};
}

SgdOptions checked(SgdOptions options) {
  if (std::isnan(options.lr))
    throw std::invalid_argument("SGD: lr is required (torch.optim.SGD has no default)");
  if (options.nesterov && (options.momentum <= 0 || options.dampening != 0))
    throw std::invalid_argument("SGD: Nesterov momentum requires a momentum and zero dampening");
  return options;
}

// The rule of sgd.hpp with g = `grad`, an expression of ∇θ and θ that is read before θ changes.
template <typename T, typename Parameters, typename Gradient>
void sgd_update(Parameters theta, const Gradient& grad, VectorView<T> momentum_buffer,
                const SgdOptions& options, double learning_rate, bool first_step) {
  const T negative_lr = T(-learning_rate);
  if (options.momentum == 0) {
    theta = theta + negative_lr * grad;  // param.add_(d_p, alpha=-lr)
    return;
  }
  const T momentum = T(options.momentum);
  auto buffer = momentum_buffer.array();
  if (first_step)
    buffer = grad;  // torch.clone(d_p)
  else
    buffer = momentum * buffer + T(1 - options.dampening) * grad;
  if (options.nesterov)
    theta = theta + negative_lr * (grad + momentum * buffer);
  else
    theta = theta + negative_lr * buffer;
}

}  // namespace

template <typename T>
Sgd<T>::Sgd(double learning_rate) : Sgd(SgdOptions{.lr = learning_rate}) {}

template <typename T>
Sgd<T>::Sgd(const SgdOptions& options)
    : Optimizer<T>(checked(options).lr, sgd_state_names(options)), options_(options) {
  Optimizer<T>::non_negative(options.momentum, "momentum");
  Optimizer<T>::non_negative(options.dampening, "dampening");
  Optimizer<T>::non_negative(options.weight_decay, "weight_decay");
}

template <typename T>
void Sgd<T>::update(VectorView<T> parameters, VectorView<T> gradients, Index first) {
  if (options_.momentum == 0 && options_.weight_decay == 0) {  // the seed's rule: θ ← θ − lr·∇θ
    const T negative_lr = T(-this->learning_rate());
    T* theta = parameters.data();
    const T* grad = gradients.data();
    for (Index i = 0; i < parameters.size(); ++i)
      theta[i] = theta[i] + negative_lr * grad[i];  // as sgd_update: param.add_(d_p, alpha=-lr)
    return;
  }
  auto theta = parameters.array();
  const VectorView<T> buffer = options_.momentum != 0
                                   ? this->state_buffer(0, first, parameters.size())
                                   : VectorView<T>(nullptr, 0);
  const bool first_step = this->steps() == 1;
  if (options_.weight_decay != 0) {
    const T weight_decay = T(options_.weight_decay);
    sgd_update<T>(theta, gradients.array() + weight_decay * theta, buffer, options_,
                  this->learning_rate(), first_step);
  } else {
    sgd_update<T>(theta, gradients.array(), buffer, options_, this->learning_rate(), first_step);
  }
}

template class Sgd<float>;
template class Sgd<double>;

}  // namespace scratchnet
