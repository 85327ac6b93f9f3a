#include "scratchnet/optimizers/adam.hpp"

#include <cmath>
#include <stdexcept>

namespace scratchnet {
namespace {

double beta(double value, const char* name) {
  if (!(value >= 0 && value < 1))
    throw std::invalid_argument(std::string(name) + " must be in [0, 1)");
  return value;
}

}  // namespace

template <typename T>
Adam<T>::Adam(const AdamOptions& options) : Adam(options, WeightDecay::l2) {}

template <typename T>
Adam<T>::Adam(const AdamOptions& options, WeightDecay decay)
    : Optimizer<T>(options.lr, {"exp_avg", "exp_avg_sq"}), options_(options), decay_(decay) {
  Optimizer<T>::non_negative(options.eps, "eps");
  beta(options.beta1, "beta1");
  beta(options.beta2, "beta2");
  Optimizer<T>::non_negative(options.weight_decay, "weight_decay");
}

template <typename T>
std::string Adam<T>::name() const {
  return decay_ == WeightDecay::decoupled ? "AdamW" : "Adam";
}

template <typename T>
void Adam<T>::update(VectorView<T> parameters, VectorView<T> gradients, Index first) {
  auto theta = parameters.array();
  auto exp_avg = this->state_buffer(0, first, parameters.size()).array();
  auto exp_avg_sq = this->state_buffer(1, first, parameters.size()).array();
  const double lr = this->learning_rate();
  const double weight_decay = options_.weight_decay;

  // exp_avg.mul_(β1).add_(g, alpha=1 − β1); exp_avg_sq.mul_(β2).addcmul_(g, g, value=1 − β2)
  const T beta1 = T(options_.beta1), beta2 = T(options_.beta2);
  const T one_minus_beta1 = T(1 - options_.beta1), one_minus_beta2 = T(1 - options_.beta2);
  const auto update_moments = [&](const auto& grad) {
    exp_avg = beta1 * exp_avg + one_minus_beta1 * grad;
    exp_avg_sq = beta2 * exp_avg_sq + (one_minus_beta2 * grad) * grad;
  };
  if (decay_ == WeightDecay::decoupled) {
    theta *= T(1 - lr * weight_decay);  // param.mul_(1 − lr·wd), before the moments
    update_moments(gradients.array());
  } else if (weight_decay != 0) {
    update_moments(gradients.array() + T(weight_decay) * theta);  // grad.add(param, alpha=wd)
  } else {
    update_moments(gradients.array());
  }

  // The bias corrections and step size are Python floats in torch: double here too.
  const double t = double(this->steps());
  const double bias_correction1 = 1 - std::pow(options_.beta1, t);
  const double bias_correction2 = 1 - std::pow(options_.beta2, t);
  const T negative_step_size = T(-(lr / bias_correction1));
  const T bias_correction2_sqrt = T(std::sqrt(bias_correction2));
  const T eps = T(options_.eps);
  // denom = exp_avg_sq.sqrt() / √bc2 + ε; param.addcdiv_(exp_avg, denom, value=−step_size)
  theta =
      theta + (negative_step_size * exp_avg) / (exp_avg_sq.sqrt() / bias_correction2_sqrt + eps);
}

template class Adam<float>;
template class Adam<double>;

}  // namespace scratchnet
