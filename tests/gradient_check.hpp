#pragma once
// Test helpers around the library's gradient check (scratchnet/training/gradient_check.hpp).
//
// How to test a new layer:
//   1. Put it in a Sequential<double> (so its parameters are bound) and fill the parameters
//      with random values (randomize_parameters).
//   2. Call check_model_gradients(model, input, random) with a random input; keep inputs away
//      from kinks (ReLU's 0, for example) so that the finite difference is meaningful.
//   3. EXPECT_LT every reported error against a tolerance (1e-7 is the project's bar).
// For a loss, call check_loss_gradient(loss, prediction, target).
//
// The scalar differentiated for a model is L = Σ output ⊙ R for a fixed random R, so
// dL/doutput = R exercises every output at once.

#include <vector>

#include "scratchnet/random.hpp"
#include "scratchnet/training/gradient_check.hpp"

namespace scratchnet::testing {

using scratchnet::check_loss_gradient;
using scratchnet::relative_error;
using scratchnet::TensorError;

/// A matrix of uniform values in [low, high), drawn from `random`.
Matrix<double> random_matrix(Index rows, Index cols, Random& random, double low = -1,
                             double high = 1);

/// Fills every parameter of `model` uniformly in [low, high).
void randomize_parameters(Sequential<double>& model, Random& random, double low = -1,
                          double high = 1);

/// Checks dL/dinput and every parameter gradient of L = Σ model(input) ⊙ R, R random.
std::vector<TensorError> check_model_gradients(Sequential<double>& model,
                                               const Matrix<double>& input, Random& random);

}  // namespace scratchnet::testing
