// Every layer, loss and the seed's whole network against central finite differences (float64).
#include <gtest/gtest.h>

#include "gradient_check.hpp"
#include "scratchnet/layers/dense.hpp"
#include "scratchnet/layers/sigmoid.hpp"
#include "scratchnet/losses/sum_squared_error.hpp"

namespace scratchnet {
namespace {

using testing::check_loss_gradient;
using testing::check_model_gradients;
using testing::random_matrix;
using testing::randomize_parameters;

constexpr double kTolerance = 1e-7;  // the project's bar for a float64 gradient check

void expect_gradients_match(Sequential<double>& model, Index batch, std::uint32_t seed) {
  Random random(seed);
  randomize_parameters(model, random);
  const Matrix<double> input = random_matrix(batch, model.inputs(), random);
  const auto errors = check_model_gradients(model, input, random);
  ASSERT_EQ(errors.size(), 1 + model.named_parameters().size());
  for (const auto& [tensor, error] : errors) {
    EXPECT_LT(error, kTolerance) << "gradient of " << tensor;
  }
}

TEST(GradientCheck, DenseWithBias) {
  Sequential<double> model(/*inputs=*/3);
  model.emplace<Dense<double>>(3, 5, Bias::add);
  expect_gradients_match(model, /*batch=*/4, /*seed=*/1);
}

TEST(GradientCheck, DenseWithoutBias) {
  Sequential<double> model(/*inputs=*/6);
  model.emplace<Dense<double>>(6, 2, Bias::none);
  expect_gradients_match(model, /*batch=*/3, /*seed=*/2);
}

TEST(GradientCheck, Sigmoid) {
  Sequential<double> model(/*inputs=*/5);
  model.emplace<Sigmoid<double>>();
  expect_gradients_match(model, /*batch=*/4, /*seed=*/3);
}

TEST(GradientCheck, SeedNetwork) {
  Sequential<double> model(/*inputs=*/2);
  model.emplace<Dense<double>>(2, 4, Bias::none);
  model.emplace<Sigmoid<double>>();
  model.emplace<Dense<double>>(4, 1, Bias::none);
  model.emplace<Sigmoid<double>>();
  expect_gradients_match(model, /*batch=*/4, /*seed=*/4);
}

TEST(GradientCheck, DeeperMixedNetwork) {
  Sequential<double> model(/*inputs=*/3);
  model.emplace<Dense<double>>(3, 7, Bias::add);
  model.emplace<Sigmoid<double>>();
  model.emplace<Dense<double>>(7, 5, Bias::none);
  model.emplace<Sigmoid<double>>();
  model.emplace<Dense<double>>(5, 2, Bias::add);
  expect_gradients_match(model, /*batch=*/6, /*seed=*/5);
}

TEST(GradientCheck, SumSquaredError) {
  Random random(/*seed=*/6);
  SumSquaredError<double> loss;
  const Matrix<double> prediction = random_matrix(5, 3, random);
  const Matrix<double> target = random_matrix(5, 3, random);
  EXPECT_LT(check_loss_gradient(loss, prediction, target), kTolerance);
}

// The seed's loss by hand: (0.5−0)² + (0.25−1)² + (1−1)² = 0.25 + 0.5625 = 0.8125,
// gradient 2(ŷ − y) = [1, −1.5, 0].
TEST(SumSquaredError, ValueAndGradientByHand) {
  Matrix<double> prediction(3, 1), target(3, 1);
  prediction << 0.5, 0.25, 1.0;
  target << 0, 1, 1;
  SumSquaredError<double> loss;
  EXPECT_DOUBLE_EQ(loss.forward(prediction, target), 0.8125);
  Matrix<double> expected(3, 1);
  expected << 1.0, -1.5, 0.0;
  EXPECT_EQ(loss.backward(), expected);
}

TEST(SumSquaredError, RejectsMismatchedShapes) {
  SumSquaredError<double> loss;
  EXPECT_THROW(loss.forward(Matrix<double>::Zero(4, 1), Matrix<double>::Zero(3, 1)),
               std::invalid_argument);
}

// backward() adds into the gradients: two passes without zeroing give twice one pass.
TEST(LayerContract, BackwardAccumulatesParameterGradients) {
  Random random(/*seed=*/8);
  Sequential<double> model(/*inputs=*/3);
  model.emplace<Dense<double>>(3, 2, Bias::add);
  randomize_parameters(model, random);
  const Matrix<double> input = random_matrix(4, 3, random);
  const Matrix<double> doutput = random_matrix(4, 2, random);

  model.zero_gradients();
  model.forward(input);
  model.backward(doutput);
  const Eigen::VectorXd once = model.gradients();
  model.backward(doutput);
  EXPECT_TRUE(model.gradients().isApprox(2 * once, 1e-15));
  model.zero_gradients();
  EXPECT_TRUE(model.gradients().isZero(0));
}

}  // namespace
}  // namespace scratchnet
