#pragma once
// The gradient check: a model's analytic gradients from backward() against central finite
// differences of its loss, all in float64. It is how every layer and loss is tested, and what
// `scratchnet gradcheck` runs on a network the user describes.
//
// For each tensor (the input, then every parameter) the error is
//   max_i |analytic_i − numeric_i| / max(max_i |analytic_i|, max_i |numeric_i|),
// the worst element's error relative to the tensor's scale, so tiny elements do not turn
// rounding noise into huge relative errors. A fixed bar on it (the tests' 1e-7) is only right
// for gradients of order 1: a finite difference's rounding error is absolute (about ε·|L| / h),
// so even exact gradients of a tensor with small ones can miss it. Each element's difference
// therefore also comes with a bound on its own error, from its truncation and rounding (see
// src/training/gradient_check.cpp), and bound_ratio is the worst error in units of that bound:
// above 1, the analytic gradient is wrong. Keep inputs away from kinks (ReLU's 0), where a finite
// difference straddles two slopes.

#include <string>
#include <vector>

#include "scratchnet/losses/loss.hpp"
#include "scratchnet/model/sequential.hpp"

namespace scratchnet {

/// The worst relative error found in one tensor ("input" or a parameter's name, "0.weight").
struct TensorError {
  std::string tensor;
  double relative_error;  // max|a − n| / max(max|a|, max|n|)
  double bound_ratio;     // max_i |a_i − n_i| / the finite difference's error bound_i
};

/// max|a − n| / max(max|a|, max|n|); 0 when both are all zero.
double relative_error(const Eigen::Ref<const Eigen::VectorXd>& analytic,
                      const Eigen::Ref<const Eigen::VectorXd>& numeric);

/// Checks dL/dinput and every parameter gradient of L = loss(model(input), target).
std::vector<TensorError> check_gradients(Sequential<double>& model, Loss<double>& loss,
                                         const Matrix<double>& input, const Matrix<double>& target);

/// Checks dloss/dprediction of `loss` at (prediction, target).
double check_loss_gradient(Loss<double>& loss, const Matrix<double>& prediction,
                           const Matrix<double>& target);

}  // namespace scratchnet
