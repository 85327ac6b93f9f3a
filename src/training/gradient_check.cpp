#include "scratchnet/training/gradient_check.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

namespace scratchnet {
namespace {

// Balances truncation error (∝ step²) against rounding error (∝ ε/step) for float64.
constexpr double kStep = 1e-6;

// How many units in the last place of the loss (or of 1, for a loss below 1) its computed value
// may be off by, in the error bound below. See central_difference.
constexpr double kLossUlps = 8;
constexpr double kEpsilon = std::numeric_limits<double>::epsilon();

// One element's central difference and the most it can differ from the true derivative.
struct Difference {
  double slope;
  double error_bound;
};

// d f / d v ≈ (f(v⁺) − f(v⁻)) / (v⁺ − v⁻), v± = v ± h as rounded, so that the step's own
// rounding is no error. What the slope can be off by has two parts (PyTorch's gradcheck allows
// atol + rtol·|analytic| = 1e-5 + 1e-3·|a| for them, far more loosely):
//   truncation  by Taylor, the slope is f′ + h²/6·f‴ + O(h⁴); with step 2h it is off by four
//               times that, so the two slopes' difference over 3 estimates it (Richardson),
//               without knowing f‴.
//   rounding    each computed loss is off by some δ. The forward pass rounds almost the same at
//               v⁺ and v⁻ (the same operations on nearly the same numbers), and that cancels;
//               what is left is the last operations' (the log, the sum over the batch, the
//               mean): a few units in the last place. δ = kLossUlps·ε·max(|f|, 1), with 1
//               because a small loss is still the difference of terms of order 1 (log-sum-exp
//               − z). Two such errors over the step give 2δ / (v⁺ − v⁻).
// With PyTorch's exact float64 gradients on the network the issue reported (8:gelu,8:tanh,
// 8:sigmoid,2, ce, 40 seeds) the largest error is 0.10 of this bound, and a gradient wrong by a
// relative 1e-5 exceeds it 20-fold: tools/check_gradcheck_tolerance.py.
Difference central_difference(const std::function<double()>& f, double& value) {
  const double saved = value;
  const auto at = [&](double step, double& reached) {
    value = saved + step;
    reached = value;
    return f();
  };
  double up = 0, down = 0, up2 = 0, down2 = 0;
  const double f_up = at(kStep, up), f_down = at(-kStep, down);
  const double f_up2 = at(2 * kStep, up2), f_down2 = at(-2 * kStep, down2);
  value = saved;
  const double slope = (f_up - f_down) / (up - down);
  const double wide = (f_up2 - f_down2) / (up2 - down2);
  const double rounding = kLossUlps * kEpsilon * std::max({std::abs(f_up), std::abs(f_down), 1.0});
  return {slope, 2 * rounding / (up - down) + std::abs(wide - slope) / 3};
}

// The central differences of every element, and how far each may be off.
struct NumericalGradient {
  Eigen::VectorXd slope, error_bound;
};

NumericalGradient numerical_gradient(const std::function<double()>& f, double* values,
                                     Index count) {
  NumericalGradient gradient{Eigen::VectorXd(count), Eigen::VectorXd(count)};
  for (Index i = 0; i < count; ++i) {
    const Difference difference = central_difference(f, values[i]);
    gradient.slope[i] = difference.slope;
    gradient.error_bound[i] = difference.error_bound;
  }
  return gradient;
}

// max_i |a_i − n_i| / (bound_i + kLossUlps·ε·|a_i|): the analytic gradient is computed in
// float64 too, and is allowed as many units of its last place.
double bound_ratio(const Eigen::Ref<const Eigen::VectorXd>& analytic,
                   const NumericalGradient& numeric) {
  double worst = 0;
  for (Index i = 0; i < analytic.size(); ++i) {
    const double allowed = numeric.error_bound[i] + kLossUlps * kEpsilon * std::abs(analytic[i]);
    worst = std::max(worst, std::abs(analytic[i] - numeric.slope[i]) / allowed);
  }
  return worst;
}

TensorError compare(std::string tensor, const Eigen::Ref<const Eigen::VectorXd>& analytic,
                    const NumericalGradient& numeric) {
  return {std::move(tensor), relative_error(analytic, numeric.slope),
          bound_ratio(analytic, numeric)};
}

Eigen::Map<const Eigen::VectorXd> flat(ConstMatrixView<double> matrix) {
  return {matrix.data(), matrix.size()};
}

}  // namespace

double relative_error(const Eigen::Ref<const Eigen::VectorXd>& analytic,
                      const Eigen::Ref<const Eigen::VectorXd>& numeric) {
  if (analytic.size() == 0) return 0;
  const double scale = std::max(analytic.cwiseAbs().maxCoeff(), numeric.cwiseAbs().maxCoeff());
  if (scale == 0) return 0;
  return (analytic - numeric).cwiseAbs().maxCoeff() / scale;
}

std::vector<TensorError> check_gradients(Sequential<double>& model, Loss<double>& loss,
                                         const Matrix<double>& input,
                                         const Matrix<double>& target) {
  Matrix<double> probe = input;  // perturbed in place by the numerical gradient
  const auto value = [&] { return loss.forward(model.forward(probe), target); };

  model.zero_gradients();
  value();
  const Matrix<double> dinput = model.backward(loss.backward());
  const Eigen::VectorXd dparameters = model.gradients();

  std::vector<TensorError> errors;
  errors.push_back(compare("input", flat(view_of(dinput)),
                           numerical_gradient(value, probe.data(), probe.size())));
  for (const NamedParameter& parameter : model.named_parameters()) {
    const Index size = ParameterShape{parameter.name, parameter.shape}.size();
    double* values = model.parameters().data() + parameter.offset;
    errors.push_back(compare(parameter.name, dparameters.segment(parameter.offset, size),
                             numerical_gradient(value, values, size)));
  }
  return errors;
}

double check_loss_gradient(Loss<double>& loss, const Matrix<double>& prediction,
                           const Matrix<double>& target) {
  Matrix<double> probe = prediction;
  loss.forward(probe, target);
  const Matrix<double> analytic = loss.backward();
  const auto value = [&] { return loss.forward(probe, target); };
  return relative_error(flat(view_of(analytic)),
                        numerical_gradient(value, probe.data(), probe.size()).slope);
}

}  // namespace scratchnet
