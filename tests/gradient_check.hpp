#pragma once
// The one gradient check every layer, loss and model is tested with: analytic gradients from
// backward() against central finite differences, all in float64.
//
// How to test a new layer:
//   1. Put it in a Sequential<double> (so its parameters are bound) and fill the parameters
//      with random values (randomize_parameters).
//   2. Call check_model_gradients(model, input) with a random input; keep inputs away from
//      kinks (ReLU's 0, for example) so that the finite difference is meaningful.
//   3. EXPECT_LT every reported error against a tolerance (1e-7 is the project's bar).
// For a loss, call check_loss_gradient(loss, prediction, target).
//
// The scalar being differentiated for a model is L = Σ output ⊙ R for a fixed random R, so
// dL/doutput = R exercises every output at once. The error of a tensor is
//   max_i |analytic_i − numeric_i| / max(max_i |analytic_i|, max_i |numeric_i|),
// the worst element's error relative to the tensor's scale, so tiny elements do not turn
// rounding noise into huge relative errors.

#include <string>
#include <vector>

#include "scratchnet/loss.hpp"
#include "scratchnet/random.hpp"
#include "scratchnet/sequential.hpp"

namespace scratchnet::testing {

/// The worst relative error found in one tensor ("input" or a parameter's name, "0.weight").
struct TensorError {
  std::string tensor;
  double relative_error;
};

/// A matrix of uniform values in [low, high), drawn from `random`.
Matrix<double> random_matrix(Index rows, Index cols, Random& random, double low = -1,
                             double high = 1);

/// Fills every parameter of `model` uniformly in [low, high).
void randomize_parameters(Sequential<double>& model, Random& random, double low = -1,
                          double high = 1);

/// max|a − n| / max(max|a|, max|n|); 0 when both are all zero.
double relative_error(const Eigen::Ref<const Eigen::VectorXd>& analytic,
                      const Eigen::Ref<const Eigen::VectorXd>& numeric);

/// Checks dL/dinput and every parameter gradient of `model` at `input`.
std::vector<TensorError> check_model_gradients(Sequential<double>& model,
                                               const Matrix<double>& input, Random& random);

/// Checks dloss/dprediction of `loss` at (prediction, target).
double check_loss_gradient(Loss<double>& loss, const Matrix<double>& prediction,
                           const Matrix<double>& target);

}  // namespace scratchnet::testing
