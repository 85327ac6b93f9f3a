#include "scratchnet/optimizers/adam.hpp"

#include <cmath>
#include <stdexcept>

#include "multiply_add.hpp"
#include "scratchnet/kernels/cpu.hpp"

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

namespace {

// The scalars of one step, each computed once in double (torch's Python floats) and rounded
// to T, as adam.hpp's rule says.
template <typename T>
struct AdamStep {
  T beta1, beta2, one_minus_beta1, one_minus_beta2;
  T decay_factor;   // AdamW: θ ← θ·(1 − lr·wd) first; 1 otherwise
  T l2;             // Adam: g ← g + wd·θ; 0 otherwise
  T negative_step;  // −lr / (1 − β1^t)
  T bias_correction2_sqrt;
  T eps;
};

// The whole rule for each element in one pass, in torch's order of operations:
//   g ← ∇θ + l2·θ;  m ← β1·m + (1 − β1)·g;  v ← β2·v + ((1 − β2)·g)·g
//   θ ← θ + (−step·m) / (√v / √bc2 + ε)
// One pass keeps each element in registers; the loop vectorises (sqrt and division are exact).
// The three multiply-adds fuse in the vector builds (multiply_add.hpp), as torch's add_ with
// alpha and addcmul_ do.
template <bool kFused, typename T>
[[gnu::always_inline]] inline void adam_elements(Index count, T* __restrict theta,
                                                 const T* __restrict gradient,
                                                 T* __restrict exp_avg, T* __restrict exp_avg_sq,
                                                 const AdamStep<T>& step) {
  for (Index i = 0; i < count; ++i) {
    const T decayed = theta[i] * step.decay_factor;
    const T g = step.l2 != T(0) ? multiply_add<kFused>(step.l2, decayed, gradient[i]) : gradient[i];
    const T m = multiply_add<kFused>(step.one_minus_beta1, g, step.beta1 * exp_avg[i]);
    const T v = multiply_add<kFused>(step.one_minus_beta2 * g, g, step.beta2 * exp_avg_sq[i]);
    exp_avg[i] = m;
    exp_avg_sq[i] = v;
    theta[i] =
        decayed + (step.negative_step * m) / (std::sqrt(v) / step.bias_correction2_sqrt + step.eps);
  }
}

// The loop compiled three times, for AVX-512, AVX2 and the baseline, and picked by what the CPU
// has. The two vector builds fuse the same multiply-adds and agree bit for bit.
// (Not target_clones: its load-time resolver crashes ThreadSanitizer builds.)
#if defined(__x86_64__)
template <typename T>
[[gnu::target("avx512f")]] void adam_elements_avx512(Index count, T* theta, const T* gradient,
                                                     T* exp_avg, T* exp_avg_sq,
                                                     const AdamStep<T>& step) {
  adam_elements<true>(count, theta, gradient, exp_avg, exp_avg_sq, step);
}

template <typename T>
[[gnu::target("avx2,fma")]] void adam_elements_avx2(Index count, T* theta, const T* gradient,
                                                    T* exp_avg, T* exp_avg_sq,
                                                    const AdamStep<T>& step) {
  adam_elements<true>(count, theta, gradient, exp_avg, exp_avg_sq, step);
}

template <typename T>
void adam_elements_of(Index count, T* theta, const T* gradient, T* exp_avg, T* exp_avg_sq,
                      const AdamStep<T>& step) {
  if (kernels::cpu_has_avx512()) {
    adam_elements_avx512(count, theta, gradient, exp_avg, exp_avg_sq, step);
    return;
  }
  if (kernels::cpu_has_avx2()) {
    adam_elements_avx2(count, theta, gradient, exp_avg, exp_avg_sq, step);
    return;
  }
  adam_elements<false>(count, theta, gradient, exp_avg, exp_avg_sq, step);
}
#else
template <typename T>
void adam_elements_of(Index count, T* theta, const T* gradient, T* exp_avg, T* exp_avg_sq,
                      const AdamStep<T>& step) {
  adam_elements<kBaselineFuses>(count, theta, gradient, exp_avg, exp_avg_sq, step);
}
#endif

}  // namespace

template <typename T>
void Adam<T>::update(VectorView<T> parameters, VectorView<T> gradients, Index first) {
  const double lr = this->learning_rate();
  const double weight_decay = options_.weight_decay;
  const bool decoupled = decay_ == WeightDecay::decoupled;
  // The bias corrections and step size are Python floats in torch: double here too.
  const double t = double(this->steps());
  const double bias_correction1 = 1 - std::pow(options_.beta1, t);
  const double bias_correction2 = 1 - std::pow(options_.beta2, t);
  const AdamStep<T> step{T(options_.beta1),
                         T(options_.beta2),
                         T(1 - options_.beta1),
                         T(1 - options_.beta2),
                         decoupled ? T(1 - lr * weight_decay) : T(1),
                         decoupled ? T(0) : T(weight_decay),
                         T(-(lr / bias_correction1)),
                         T(std::sqrt(bias_correction2)),
                         T(options_.eps)};
  adam_elements_of(parameters.size(), parameters.data(), gradients.data(),
                   this->state_buffer(0, first, parameters.size()).data(),
                   this->state_buffer(1, first, parameters.size()).data(), step);
}

template class Adam<float>;
template class Adam<double>;

}  // namespace scratchnet
