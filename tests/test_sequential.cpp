// The model's flat buffers, PyTorch parameter names, layer arithmetic and the optimizer step.
#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "gradient_check.hpp"
#include "scratchnet/layers/dense.hpp"
#include "scratchnet/layers/sigmoid.hpp"
#include "scratchnet/model/sequential.hpp"
#include "scratchnet/optimizers/sgd.hpp"

namespace scratchnet {
namespace {

using testing::matrices_near;

TEST(Sequential, NamesParametersAsTorchSequentialDoes) {
  Sequential<double> model(/*inputs=*/2);
  model.emplace<Dense<double>>(2, 4, Bias::add);
  model.emplace<Sigmoid<double>>();
  model.emplace<Dense<double>>(4, 3, Bias::none);
  model.emplace<Sigmoid<double>>();
  model.emplace<Dense<double>>(3, 1, Bias::add);

  const auto named = model.named_parameters();
  ASSERT_EQ(named.size(), 5u);
  EXPECT_EQ(named[0].name, "0.weight");
  EXPECT_EQ(named[0].shape, (std::vector<Index>{4, 2}));
  EXPECT_EQ(named[0].offset, 0);
  EXPECT_EQ(named[1].name, "0.bias");
  EXPECT_EQ(named[1].shape, (std::vector<Index>{4}));
  EXPECT_EQ(named[1].offset, 8);
  EXPECT_EQ(named[2].name, "2.weight");
  EXPECT_EQ(named[2].shape, (std::vector<Index>{3, 4}));
  EXPECT_EQ(named[2].offset, 12);
  EXPECT_EQ(named[3].name, "4.weight");
  EXPECT_EQ(named[3].shape, (std::vector<Index>{1, 3}));
  EXPECT_EQ(named[3].offset, 24);
  EXPECT_EQ(named[4].name, "4.bias");
  EXPECT_EQ(named[4].offset, 27);
  EXPECT_EQ(model.parameters().size(), 4 * 2 + 4 + 3 * 4 + 3 + 1);
  EXPECT_EQ(model.gradients().size(), model.parameters().size());
  EXPECT_EQ(model.outputs(), 1);
}

TEST(Sequential, LayersViewTheFlatBuffers) {
  Sequential<double> model(/*inputs=*/2);
  auto& first = model.emplace<Dense<double>>(2, 3, Bias::add);
  first.weight()(1, 0) = 7;  // row-major [out, in]: element 1·2 + 0
  first.bias()(2) = 9;       // after the 6 weights
  auto& second = model.emplace<Dense<double>>(3, 1, Bias::none);  // may move the buffers
  second.weight()(0, 2) = 5;
  EXPECT_EQ(model.parameters()(2), 7);
  EXPECT_EQ(model.parameters()(8), 9);
  EXPECT_EQ(model.parameters()(11), 5);
  EXPECT_EQ(first.weight()(1, 0), 7);  // values survive the rebinding
}

TEST(Sequential, RejectsMismatchedSizes) {
  Sequential<double> model(/*inputs=*/2);
  EXPECT_THROW(model.emplace<Dense<double>>(3, 1), std::invalid_argument);
  model.emplace<Dense<double>>(2, 1);
  EXPECT_THROW(model.forward(Matrix<double>::Zero(4, 3)), std::invalid_argument);
  EXPECT_THROW(Sequential<double>(0), std::invalid_argument);
  EXPECT_THROW(Dense<double>(0, 3), std::invalid_argument);
}

// Dense by hand: x = [1 2], W = [[1 0] [0.5 −1] [2 3]], b = [0.1 0.2 0.3]
// x·Wᵀ + b = [1 + 0.1, 0.5 − 2 + 0.2, 2 + 6 + 0.3] = [1.1, −1.3, 8.3]
TEST(Dense, ForwardByHand) {
  Sequential<double> model(/*inputs=*/2);
  auto& dense = model.emplace<Dense<double>>(2, 3, Bias::add);
  dense.weight() << 1, 0, 0.5, -1, 2, 3;
  dense.bias() << 0.1, 0.2, 0.3;
  Matrix<double> input(1, 2);
  input << 1, 2;
  Matrix<double> expected(1, 3);
  expected << 1.1, -1.3, 8.3;
  EXPECT_TRUE(matrices_near(model.forward(input), expected, 1e-15));
}

TEST(Sigmoid, ForwardByHand) {
  Sigmoid<double> sigmoid;
  Matrix<double> input(1, 3);
  input << 0, 2, -800;  // e^800 overflows to inf: σ is exactly 0, not NaN
  Matrix<double> expected(1, 3);
  expected << 0.5, 1 / (1 + std::exp(-2.0)), 0.0;
  EXPECT_TRUE(matrices_near(sigmoid.forward(view_of(input)), expected, 0));
}

// θ ← θ − lr·∇θ: [1, 2] − 0.5·[0.5, −1] = [0.75, 2.5]
TEST(Sgd, StepByHand) {
  Eigen::VectorXd parameters(2), gradients(2);
  parameters << 1, 2;
  gradients << 0.5, -1;
  Sgd<double>(/*learning_rate=*/0.5).step({parameters.data(), 2}, {gradients.data(), 2});
  EXPECT_EQ(parameters, Eigen::Vector2d(0.75, 2.5));
}

TEST(Sequential, MovedModelKeepsWorking) {
  Random random(/*seed=*/3);
  Sequential<double> original(/*inputs=*/3);
  original.emplace<Dense<double>>(3, 2, Bias::add);
  original.emplace<Sigmoid<double>>();
  testing::randomize_parameters(original, random);
  const Matrix<double> input = testing::random_matrix(2, 3, random);
  const Matrix<double> before = original.forward(input);
  Sequential<double> moved = std::move(original);
  EXPECT_TRUE(matrices_near(moved.forward(input), before, 0));
}

// The library compiles for float; float results agree with float64 to float precision.
TEST(Sequential, FloatAgreesWithDouble) {
  Random random(/*seed=*/9);
  Sequential<double> wide(/*inputs=*/4);
  wide.emplace<Dense<double>>(4, 8, Bias::add);
  wide.emplace<Sigmoid<double>>();
  wide.emplace<Dense<double>>(8, 2, Bias::add);
  Sequential<float> narrow(/*inputs=*/4);
  narrow.emplace<Dense<float>>(4, 8, Bias::add);
  narrow.emplace<Sigmoid<float>>();
  narrow.emplace<Dense<float>>(8, 2, Bias::add);
  testing::randomize_parameters(wide, random);
  narrow.parameters() = wide.parameters().cast<float>();
  const Matrix<double> input = testing::random_matrix(5, 4, random);

  const Matrix<double> expected = wide.forward(input);
  const Matrix<float> input_float = input.cast<float>();
  EXPECT_TRUE(matrices_near(narrow.forward(input_float).cast<double>(), expected, 1e-5));

  wide.zero_gradients();
  narrow.zero_gradients();
  const Matrix<double> doutput = Matrix<double>::Ones(5, 2);
  const Matrix<float> doutput_float = doutput.cast<float>();
  wide.backward(doutput);
  narrow.backward(doutput_float);
  EXPECT_TRUE(narrow.gradients().cast<double>().isApprox(wide.gradients(), 1e-5));
}

// Training's backward pass skips the input gradients nobody uses, and nothing else: the
// parameter gradients are the very same bits as the full backward pass gives.
TEST(Sequential, BackwardParametersAddsTheSameGradients) {
  Random random(/*seed=*/12);
  for (bool activation_first : {false, true}) {
    Sequential<double> model(/*inputs=*/5);
    if (activation_first) model.emplace<Sigmoid<double>>();
    model.emplace<Dense<double>>(5, 300, Bias::add);  // large enough for the packed products
    model.emplace<Sigmoid<double>>();
    model.emplace<Dense<double>>(300, 3, Bias::add);
    testing::randomize_parameters(model, random);
    const Matrix<double> input = testing::random_matrix(40, 5, random);
    const Matrix<double> doutput = testing::random_matrix(40, 3, random);

    model.gradients().setConstant(0.25);  // both passes add into what is there
    model.forward(input);
    model.backward(doutput);
    const Matrix<double> full = model.gradients();
    model.gradients().setConstant(0.25);
    model.forward(input);
    model.backward_parameters(doutput);
    EXPECT_EQ(Matrix<double>(model.gradients()), full)
        << (activation_first ? "activation first" : "Dense first");
  }
}

TEST(Sequential, BackwardParametersWithoutParametersDoesNothing) {
  Sequential<double> model(/*inputs=*/3);
  model.emplace<Sigmoid<double>>();
  const Matrix<double> input = Matrix<double>::Ones(2, 3);
  model.forward(input);
  model.backward_parameters(input);
  EXPECT_EQ(model.gradients().size(), 0);
}

}  // namespace
}  // namespace scratchnet
