#include "gradient_check.hpp"

#include <algorithm>
#include <functional>

namespace scratchnet::testing {
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

Eigen::Map<const Eigen::VectorXd> flat(const Matrix<double>& matrix) {
  return {matrix.data(), matrix.size()};
}

}  // namespace

Matrix<double> random_matrix(Index rows, Index cols, Random& random, double low, double high) {
  Matrix<double> matrix(rows, cols);
  for (double& value : matrix.reshaped())
    value = low + (high - low) * random.uniform();
  return matrix;
}

void randomize_parameters(Sequential<double>& model, Random& random, double low, double high) {
  for (double& value : model.parameters())
    value = low + (high - low) * random.uniform();
}

double relative_error(const Eigen::Ref<const Eigen::VectorXd>& analytic,
                      const Eigen::Ref<const Eigen::VectorXd>& numeric) {
  const double scale = std::max(analytic.cwiseAbs().maxCoeff(), numeric.cwiseAbs().maxCoeff());
  if (scale == 0) return 0;
  return (analytic - numeric).cwiseAbs().maxCoeff() / scale;
}

std::vector<TensorError> check_model_gradients(Sequential<double>& model,
                                               const Matrix<double>& input, Random& random) {
  const Matrix<double> projection = random_matrix(input.rows(), model.outputs(), random);
  Matrix<double> probe = input;  // perturbed in place by the numerical gradient
  const auto loss = [&] { return model.forward(probe).cwiseProduct(projection).sum(); };

  model.zero_gradients();
  model.forward(probe);
  const Matrix<double> dinput = model.backward(projection);
  const Eigen::VectorXd dparameters = model.gradients();

  std::vector<TensorError> errors;
  const Eigen::VectorXd numeric_dinput = numerical_gradient(loss, probe.data(), probe.size());
  errors.push_back({"input", relative_error(flat(dinput), numeric_dinput)});
  for (const NamedParameter& parameter : model.named_parameters()) {
    Index size = 1;
    for (Index extent : parameter.shape)
      size *= extent;
    double* values = model.parameters().data() + parameter.offset;
    const Eigen::VectorXd numeric = numerical_gradient(loss, values, size);
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
  return relative_error(flat(analytic), numerical_gradient(value, probe.data(), probe.size()));
}

}  // namespace scratchnet::testing
