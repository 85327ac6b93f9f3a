#include "scratchnet/optimizers/rmsprop.hpp"

namespace scratchnet {
namespace {

// State buffers in torch's order of creation: square_avg, momentum_buffer, grad_avg.
std::vector<std::string> rmsprop_state_names(const RmspropOptions& options) {
  std::vector<std::string> names = {"square_avg"};
  if (options.momentum > 0) names.push_back("momentum_buffer");
  if (options.centered) names.push_back("grad_avg");
  return names;
}

// The rule of rmsprop.hpp from `denominator`, d as an expression, on to θ.
template <typename T, typename Parameters, typename Gradient, typename Denominator>
void rmsprop_step(Parameters theta, const Gradient& grad, const Denominator& denominator,
                  VectorView<T> momentum_buffer, const RmspropOptions& options,
                  double learning_rate) {
  if (options.momentum > 0) {
    auto buffer = momentum_buffer.array();
    buffer = T(options.momentum) * buffer + grad / denominator;  // buf.mul_(μ).addcdiv_(g, avg)
    theta = theta + T(-learning_rate) * buffer;                  // param.add_(buf, alpha=−lr)
  } else {
    theta = theta + (T(-learning_rate) * grad) / denominator;  // param.addcdiv_(g, avg, value=−lr)
  }
}

}  // namespace

template <typename T>
Rmsprop<T>::Rmsprop(const RmspropOptions& options)
    : Optimizer<T>(options.lr, rmsprop_state_names(options)), options_(options) {
  Optimizer<T>::non_negative(options.eps, "eps");
  Optimizer<T>::non_negative(options.momentum, "momentum");
  Optimizer<T>::non_negative(options.weight_decay, "weight_decay");
  Optimizer<T>::non_negative(options.alpha, "alpha");
}

template <typename T>
void Rmsprop<T>::update(VectorView<T> parameters, VectorView<T> gradients, Index first) {
  auto theta = parameters.array();
  auto square_avg = this->state_buffer(0, first, parameters.size()).array();
  const VectorView<T> momentum_buffer = options_.momentum > 0
                                            ? this->state_buffer(1, first, parameters.size())
                                            : VectorView<T>(nullptr, 0);
  const T alpha = T(options_.alpha), one_minus_alpha = T(1 - options_.alpha);
  const T eps = T(options_.eps);
  const double lr = this->learning_rate();

  // Each buffer is updated in its own pass, θ last: g reads θ when there is weight decay.
  const auto update = [&](const auto& grad) {
    square_avg = alpha * square_avg + (one_minus_alpha * grad) * grad;
    if (options_.centered) {
      auto grad_avg =
          this->state_buffer(options_.momentum > 0 ? 2 : 1, first, parameters.size()).array();
      grad_avg = alpha * grad_avg + one_minus_alpha * grad;
      // square_avg.addcmul(grad_avg, grad_avg, value=−1).sqrt_().add_(eps)
      rmsprop_step<T>(theta, grad, (square_avg + (T(-1) * grad_avg) * grad_avg).sqrt() + eps,
                      momentum_buffer, options_, lr);
    } else {
      rmsprop_step<T>(theta, grad, square_avg.sqrt() + eps, momentum_buffer, options_, lr);
    }
  };
  if (options_.weight_decay != 0)
    update(gradients.array() + T(options_.weight_decay) * theta);  // grad.add(param, alpha=wd)
  else
    update(gradients.array());
}

template class Rmsprop<float>;
template class Rmsprop<double>;

}  // namespace scratchnet
