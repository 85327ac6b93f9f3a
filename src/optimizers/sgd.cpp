#include "scratchnet/optimizers/sgd.hpp"

#include <cmath>
#include <stdexcept>

#include "multiply_add.hpp"
#include "scratchnet/kernels/cpu.hpp"

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

// The common case, momentum after the first step without Nesterov or weight decay, in one pass:
// b ← μ·b + (1 − dampening)·∇θ;  θ ← θ − lr·b. The operations of sgd_update in its order,
// reading each array once instead of twice. Fused as torch's buf.mul_(μ).add_(∇θ, alpha=1 − d)
// and param.add_(buf, alpha=−lr) are in its vector kernels: (1 − d)·∇θ + (μ·b), −lr·b + θ.
template <bool kFused, typename T>
[[gnu::always_inline]] inline void momentum_elements(Index count, T* __restrict theta,
                                                     const T* __restrict gradient,
                                                     T* __restrict buffer, T momentum,
                                                     T one_minus_dampening, T negative_lr) {
  for (Index i = 0; i < count; ++i) {
    const T b = multiply_add<kFused>(one_minus_dampening, gradient[i], momentum * buffer[i]);
    buffer[i] = b;
    theta[i] = multiply_add<kFused>(negative_lr, b, theta[i]);
  }
}

#if defined(__x86_64__)
template <typename T>
[[gnu::target("avx512f")]] void momentum_elements_avx512(Index count, T* theta, const T* gradient,
                                                         T* buffer, T momentum,
                                                         T one_minus_dampening, T negative_lr) {
  momentum_elements<true>(count, theta, gradient, buffer, momentum, one_minus_dampening,
                          negative_lr);
}

template <typename T>
[[gnu::target("avx2,fma")]] void momentum_elements_avx2(Index count, T* theta, const T* gradient,
                                                        T* buffer, T momentum,
                                                        T one_minus_dampening, T negative_lr) {
  momentum_elements<true>(count, theta, gradient, buffer, momentum, one_minus_dampening,
                          negative_lr);
}
#endif

// The loop for the widest vectors the CPU has: the AVX-512 and AVX2 ones agree bit for bit;
// the baseline's last bits can differ from theirs (multiply_add.hpp). A given machine always
// takes the same loop.
template <typename T>
void momentum_step(Index count, T* theta, const T* gradient, T* buffer, T momentum,
                   T one_minus_dampening, T negative_lr) {
#if defined(__x86_64__)
  if (kernels::cpu_has_avx512()) {
    momentum_elements_avx512(count, theta, gradient, buffer, momentum, one_minus_dampening,
                             negative_lr);
    return;
  }
  if (kernels::cpu_has_avx2()) {
    momentum_elements_avx2(count, theta, gradient, buffer, momentum, one_minus_dampening,
                           negative_lr);
    return;
  }
#endif
  momentum_elements<kBaselineFuses>(count, theta, gradient, buffer, momentum, one_minus_dampening,
                                    negative_lr);
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
  const bool first_step = this->steps() == 1;
  if (options_.momentum != 0 && options_.weight_decay == 0 && !options_.nesterov && !first_step) {
    momentum_step(parameters.size(), parameters.data(), gradients.data(),
                  this->state_buffer(0, first, parameters.size()).data(), T(options_.momentum),
                  T(1 - options_.dampening), T(-this->learning_rate()));
    return;
  }
  auto theta = parameters.array();
  const VectorView<T> buffer = options_.momentum != 0
                                   ? this->state_buffer(0, first, parameters.size())
                                   : VectorView<T>(nullptr, 0);
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
