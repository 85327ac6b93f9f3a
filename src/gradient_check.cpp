#include "scratchnet/gradient_check.hpp"

#include <algorithm>
#include <functional>

namespace scratchnet {
namespace {

// Balances truncation error (∝ step²) against rounding error (∝ ε/step) for float64.
constexpr double kStep = 1e-6;

// Central differences: d f / d values[i] ≈ (f(v + h) − f(v − h)) / 2h, one element at a time.
Eigen::VectorXd numerical_gradient(const std::function<double()>& f, double* values, Index count) {
  Eigen::VectorXd gradient(count);
  for (Index i = 0; i < count; ++i) {
    const double saved = values[i];
    values[i] = saved + kStep;
    const double above = f();
    values[i] = saved - kStep;
    const double below = f();
    values[i] = saved;
    gradient[i] = (above - below) / (2 * kStep);
  }
  return gradient;
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
  const Eigen::VectorXd numeric_dinput = numerical_gradient(value, probe.data(), probe.size());
  errors.push_back({"input", relative_error(flat(view_of(dinput)), numeric_dinput)});
  for (const NamedParameter& parameter : model.named_parameters()) {
    const Index size = ParameterShape{parameter.name, parameter.shape}.size();
    double* values = model.parameters().data() + parameter.offset;
    const Eigen::VectorXd numeric = numerical_gradient(value, values, size);
    errors.push_back(
        {parameter.name, relative_error(dparameters.segment(parameter.offset, size), numeric)});
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
                        numerical_gradient(value, probe.data(), probe.size()));
}

}  // namespace scratchnet
