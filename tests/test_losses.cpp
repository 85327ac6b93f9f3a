// The losses: finite-difference gradient checks, values worked out by hand (or read off torch),
// stability at logits of ±1000, and clear errors for targets they cannot take.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "gradient_check.hpp"
#include "scratchnet/losses/binary_cross_entropy_with_logits.hpp"
#include "scratchnet/losses/mean_squared_error.hpp"
#include "scratchnet/losses/softmax_cross_entropy.hpp"

namespace scratchnet {
namespace {

using testing::check_loss_gradient;
using testing::random_matrix;

constexpr double kTolerance = 1e-7;  // the project's bar for a float64 gradient check

Matrix<double> matrix(Index rows, Index cols, std::initializer_list<double> values) {
  Matrix<double> result(rows, cols);
  Index i = 0;
  for (double value : values)
    result.data()[i++] = value;
  return result;
}

// Class labels 0..classes−1 drawn uniformly, as a [batch, 1] target.
Matrix<double> random_labels(Index batch, Index classes, Random& random) {
  Matrix<double> labels(batch, 1);
  for (Index i = 0; i < batch; ++i)
    labels(i, 0) = std::floor(random.uniform() * double(classes));
  return labels;
}

// Expects `call` to throw std::invalid_argument whose message contains `fragment`.
template <typename Call>
void expect_invalid_argument(Call call, const std::string& fragment) {
  try {
    call();
    ADD_FAILURE() << "no exception; expected one mentioning \"" << fragment << "\"";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find(fragment), std::string::npos)
        << "message \"" << error.what() << "\" does not mention \"" << fragment << "\"";
  }
}

TEST(Losses, Tasks) {
  EXPECT_EQ(MeanSquaredError<double>().task(), Task::regression);
  EXPECT_EQ(BinaryCrossEntropyWithLogits<double>().task(), Task::binary);
  EXPECT_EQ(SoftmaxCrossEntropy<double>().task(), Task::multiclass);
}

TEST(GradientCheck, MeanSquaredError) {
  Random random(/*seed=*/41);
  MeanSquaredError<double> loss;
  EXPECT_LT(check_loss_gradient(loss, random_matrix(5, 3, random), random_matrix(5, 3, random)),
            kTolerance);
}

TEST(GradientCheck, BinaryCrossEntropyWithLogits) {
  Random random(/*seed=*/42);
  BinaryCrossEntropyWithLogits<double> loss;
  const Matrix<double> logits = random_matrix(6, 3, random, -4, 4);
  const Matrix<double> hard = (random_matrix(6, 3, random).array() > 0).cast<double>();
  EXPECT_LT(check_loss_gradient(loss, logits, hard), kTolerance);
  const Matrix<double> soft = random_matrix(6, 3, random, 0, 1);
  EXPECT_LT(check_loss_gradient(loss, logits, soft), kTolerance);
}

TEST(GradientCheck, SoftmaxCrossEntropy) {
  Random random(/*seed=*/43);
  SoftmaxCrossEntropy<double> loss;
  const Matrix<double> logits = random_matrix(7, 4, random, -3, 3);
  EXPECT_LT(check_loss_gradient(loss, logits, random_labels(7, 4, random)), kTolerance);
  EXPECT_LT(check_loss_gradient(loss, logits.topRows(1), random_labels(1, 4, random)), kTolerance);
}

// The mean runs over every element: (1 + 4 + 9 + 16) / 4 = 7.5, gradient 2ŷ/4.
TEST(MeanSquaredError, ValuesByHand) {
  MeanSquaredError<double> loss;
  EXPECT_EQ(loss.forward(matrix(2, 2, {1, 2, 3, 4}), Matrix<double>::Zero(2, 2)), 7.5);
  EXPECT_EQ(loss.backward(), matrix(2, 2, {0.5, 1, 1.5, 2}));
  // The seed's example: Σ(ŷ − y)² = 0.8125 over 3 elements.
  EXPECT_DOUBLE_EQ(loss.forward(matrix(3, 1, {0.5, 0.25, 1}), matrix(3, 1, {0, 1, 1})), 0.8125 / 3);
  EXPECT_EQ(loss.backward(), matrix(3, 1, {1.0 / 3, -0.5, 0}));
}

TEST(MeanSquaredError, RejectsMismatchedShapesAndEmptyBatches) {
  MeanSquaredError<double> loss;
  expect_invalid_argument(
      [&] { loss.forward(Matrix<double>::Zero(4, 2), Matrix<double>::Zero(4, 1)); }, "4x1");
  expect_invalid_argument(
      [&] { loss.forward(Matrix<double>::Zero(0, 2), Matrix<double>::Zero(0, 2)); }, "empty");
}

// Per element max(x, 0) − x·y + log1p(e^(−|x|)):
//   x = 2, y = 1: log1p(e^−2);  x = −1, y = 0: log1p(e^−1);  x = 0, y = 1: ln 2;
//   x = 3, y = ¼: 3 − ¾ + log1p(e^−3).   torch.nn.BCEWithLogitsLoss gives 0.8579810576737207.
TEST(BinaryCrossEntropyWithLogits, ValuesByHand) {
  BinaryCrossEntropyWithLogits<double> loss;
  const Matrix<double> logits = matrix(2, 2, {2, -1, 0, 3});
  const Matrix<double> target = matrix(2, 2, {1, 0, 1, 0.25});
  const double expected = (std::log1p(std::exp(-2.0)) + std::log1p(std::exp(-1.0)) + std::log(2.0) +
                           2.25 + std::log1p(std::exp(-3.0))) /
                          4;
  EXPECT_DOUBLE_EQ(loss.forward(logits, target), expected);
  EXPECT_DOUBLE_EQ(loss.forward(logits, target), 0.8579810576737207);
  // (σ(x) − y) / 4, as torch gives it
  const Matrix<double> expected_gradient =
      matrix(2, 2, {-0.02980073050552942, 0.06723535534249878, -0.125, 0.17564353170560834});
  EXPECT_TRUE(loss.backward().isApprox(expected_gradient, 1e-15));
}

// Logits of ±1000: e^1000 overflows, so a naive log(σ(x)) gives inf or NaN. Confidently wrong
// costs |x| per element, confidently right costs 0; the gradient is (σ(x) − y)/N = ±½ or 0.
TEST(BinaryCrossEntropyWithLogits, LargeLogitsStayFinite) {
  BinaryCrossEntropyWithLogits<double> loss;
  const Matrix<double> logits = matrix(1, 2, {1000, -1000});
  EXPECT_EQ(loss.forward(logits, matrix(1, 2, {0, 1})), 1000);
  EXPECT_EQ(loss.backward(), matrix(1, 2, {0.5, -0.5}));
  EXPECT_EQ(loss.forward(logits, matrix(1, 2, {1, 0})), 0);
  EXPECT_EQ(loss.backward(), matrix(1, 2, {0, 0}));

  BinaryCrossEntropyWithLogits<float> loss_float;
  const float value = loss_float.forward(logits.cast<float>(), Matrix<float>::Constant(1, 2, 0.5f));
  EXPECT_TRUE(std::isfinite(value));
  EXPECT_TRUE(loss_float.backward().allFinite());
}

TEST(BinaryCrossEntropyWithLogits, RejectsBadTargets) {
  BinaryCrossEntropyWithLogits<double> loss;
  const Matrix<double> logits = Matrix<double>::Zero(2, 2);
  expect_invalid_argument([&] { loss.forward(logits, Matrix<double>::Zero(2, 1)); }, "2x1");
  expect_invalid_argument(
      [&] {
        loss.forward(logits, matrix(2, 2, {0, 1, 2, 0}));
      },
      "target (1, 0) is 2");
  expect_invalid_argument(
      [&] {
        loss.forward(logits, matrix(2, 2, {0, -0.5, 1, 0}));
      },
      "not in [0, 1]");
  expect_invalid_argument(
      [&] {
        loss.forward(logits, matrix(2, 2, {0, std::numeric_limits<double>::quiet_NaN(), 1, 0}));
      },
      "not in [0, 1]");
  expect_invalid_argument(
      [&] { loss.forward(Matrix<double>::Zero(0, 2), Matrix<double>::Zero(0, 2)); }, "empty");
}

// Uniform logits over 3 classes: −log ⅓ = ln 3, gradient (⅓ − [j = c]) / B.
// Logits [1, 2, 3] with label 2: log(e + e² + e³) − 3, as torch gives it.
TEST(SoftmaxCrossEntropy, ValuesByHand) {
  SoftmaxCrossEntropy<double> loss;
  EXPECT_DOUBLE_EQ(loss.forward(matrix(1, 3, {0, 0, 0}), matrix(1, 1, {1})), std::log(3.0));
  EXPECT_TRUE(loss.backward().isApprox(matrix(1, 3, {1.0 / 3, -2.0 / 3, 1.0 / 3}), 1e-15));

  const Matrix<double> logits = matrix(2, 3, {1, 2, 3, 0, 0, 0});
  EXPECT_DOUBLE_EQ(loss.forward(logits, matrix(2, 1, {2, 1})), 0.7531091265562451);
  const Matrix<double> torch_gradient =
      matrix(2, 3,
             {0.04501528658519022, 0.12236423552739882, -0.1673795221125891, 0.16666666666666666,
              -0.33333333333333337, 0.16666666666666666});
  EXPECT_TRUE(loss.backward().isApprox(torch_gradient, 1e-15));
}

// Logits of ±1000: e^1000 overflows, so a naive softmax gives NaN. Subtracting the row max
// leaves e^0 = 1 and e^−2000 = 0: the loss is exactly the logit gap, the gradient ±1/B.
TEST(SoftmaxCrossEntropy, LargeLogitsStayFinite) {
  SoftmaxCrossEntropy<double> loss;
  const Matrix<double> logits = matrix(2, 3, {1000, -1000, 0, 1000, 1000, -1000});
  EXPECT_DOUBLE_EQ(loss.forward(logits, matrix(2, 1, {1, 0})), (2000 + std::log(2.0)) / 2);
  EXPECT_TRUE(loss.backward().isApprox(matrix(2, 3, {0.5, -0.5, 0, -0.25, 0.25, 0}), 1e-15));

  SoftmaxCrossEntropy<float> loss_float;
  EXPECT_TRUE(std::isfinite(loss_float.forward(logits.cast<float>(), Matrix<float>::Zero(2, 1))));
  EXPECT_TRUE(loss_float.backward().allFinite());
}

TEST(SoftmaxCrossEntropy, RejectsLabelsThatAreNotClassIndices) {
  SoftmaxCrossEntropy<double> loss;
  const Matrix<double> logits = Matrix<double>::Zero(2, 3);
  expect_invalid_argument(
      [&] {
        loss.forward(logits, matrix(2, 1, {0, 3}));
      },
      "target row 1 holds 3");
  expect_invalid_argument(
      [&] {
        loss.forward(logits, matrix(2, 1, {-1, 0}));
      },
      "not a class index in [0, 3)");
  expect_invalid_argument(
      [&] {
        loss.forward(logits, matrix(2, 1, {1.5, 0}));
      },
      "not a class index in [0, 3)");
  expect_invalid_argument(
      [&] {
        loss.forward(logits, matrix(2, 1, {std::numeric_limits<double>::quiet_NaN(), 0}));
      },
      "not a class index in [0, 3)");
  expect_invalid_argument(
      [&] {
        loss.forward(logits, matrix(2, 1, {std::numeric_limits<double>::infinity(), 0}));
      },
      "not a class index in [0, 3)");
}

TEST(SoftmaxCrossEntropy, RejectsTargetsOfTheWrongShape) {
  SoftmaxCrossEntropy<double> loss;
  const Matrix<double> logits = Matrix<double>::Zero(2, 3);
  // One-hot rows are not class indices.
  expect_invalid_argument(
      [&] {
        loss.forward(logits, matrix(2, 3, {1, 0, 0, 0, 1, 0}));
      },
      "target must be [batch, 1] class indices, [2, 1] here, but is [2, 3]");
  expect_invalid_argument([&] { loss.forward(logits, matrix(3, 1, {0, 1, 2})); }, "is [3, 1]");
  expect_invalid_argument(
      [&] { loss.forward(Matrix<double>::Zero(0, 3), Matrix<double>::Zero(0, 1)); }, "empty");
}

}  // namespace
}  // namespace scratchnet
