// The activation layers: finite-difference gradient checks, values worked out by hand, Dropout's
// modes and mask, and no heap allocation once a batch size has been seen.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <memory>
#include <stdexcept>

#include "gradient_check.hpp"
#include "scratchnet/kernels/thread_pool.hpp"
#include "scratchnet/layers/dense.hpp"
#include "scratchnet/layers/dropout.hpp"
#include "scratchnet/layers/gelu.hpp"
#include "scratchnet/layers/leaky_relu.hpp"
#include "scratchnet/layers/relu.hpp"
#include "scratchnet/layers/softmax.hpp"
#include "scratchnet/layers/tanh.hpp"

namespace scratchnet {
namespace {

using testing::check_model_gradients;
using testing::random_matrix;
using testing::randomize_parameters;

constexpr double kTolerance = 1e-7;  // the project's bar for a float64 gradient check

// Moves every element with |x| < 0.05 to ±0.05 + x, away from the kink of ReLU and LeakyReLU at
// 0, where the finite difference straddles two slopes.
Matrix<double> away_from_zero(Matrix<double> input) {
  for (double& value : input.reshaped())
    if (std::abs(value) < 0.05) value += value < 0 ? -0.05 : 0.05;
  return input;
}

void expect_gradients_match(Sequential<double>& model, const Matrix<double>& input,
                            Random& random) {
  const auto errors = check_model_gradients(model, input, random);
  ASSERT_EQ(errors.size(), 1 + model.named_parameters().size());
  for (const auto& [tensor, error, bound_ratio] : errors) {
    EXPECT_LT(error, kTolerance) << "gradient of " << tensor;
    EXPECT_LE(bound_ratio, 1) << "gradient of " << tensor;
  }
}

// One activation alone, at inputs spread over [−3, 3) and kept off its kinks.
void expect_layer_gradient_matches(std::unique_ptr<Layer<double>> layer, std::uint32_t seed) {
  Random random(seed);
  Sequential<double> model(/*inputs=*/6);
  model.add(std::move(layer));
  expect_gradients_match(model, away_from_zero(random_matrix(5, 6, random, -3, 3)), random);
}

// The activation between two Dense layers, so that its gradient flows into parameters.
void expect_network_gradient_matches(std::unique_ptr<Layer<double>> layer, std::uint32_t seed) {
  Random random(seed);
  Sequential<double> model(/*inputs=*/4);
  model.emplace<Dense<double>>(4, 6, Bias::add);
  model.add(std::move(layer));
  model.emplace<Dense<double>>(6, 3, Bias::add);
  randomize_parameters(model, random);
  expect_gradients_match(model, random_matrix(7, 4, random, -2, 2), random);
}

// Layers take and return views; these run one on an owned matrix and copy out the result.
Matrix<double> forward(Layer<double>& layer, const Matrix<double>& input) {
  return layer.forward(view_of(input));
}
Matrix<double> backward(Layer<double>& layer, const Matrix<double>& doutput) {
  return layer.backward(view_of(doutput));
}

Matrix<double> row(std::initializer_list<double> values) {
  Matrix<double> matrix(1, Index(values.size()));
  Index i = 0;
  for (double value : values)
    matrix(0, i++) = value;
  return matrix;
}

TEST(Activations, NamedAsTorchNamesThem) {
  EXPECT_EQ(Tanh<double>().name(), "Tanh");
  EXPECT_EQ(ReLU<double>().name(), "ReLU");
  EXPECT_EQ(LeakyReLU<double>().name(), "LeakyReLU");
  EXPECT_EQ(GELU<double>().name(), "GELU");
  EXPECT_EQ(Softmax<double>().name(), "Softmax");
  EXPECT_EQ(Dropout<double>().name(), "Dropout");
}

// Element-wise layers keep any sample shape; Softmax, which normalises a whole flat sample,
// refuses an image, whose torch Softmax(dim=1) would normalise over channels instead.
TEST(Activations, KeepTheSampleShape) {
  EXPECT_EQ(Tanh<float>().output_shape(7), Shape(7));
  EXPECT_EQ(ReLU<float>().output_shape({3, 4, 5}), Shape({3, 4, 5}));
  EXPECT_EQ(Dropout<float>(0.5).output_shape({1, 28, 28}), Shape({1, 28, 28}));
  EXPECT_EQ(Softmax<float>().output_shape(10), Shape(10));
  EXPECT_THROW((void)Softmax<float>().output_shape({1, 2, 5}), std::invalid_argument);
}

TEST(GradientCheck, Tanh) {
  expect_layer_gradient_matches(std::make_unique<Tanh<double>>(), /*seed=*/11);
  expect_network_gradient_matches(std::make_unique<Tanh<double>>(), /*seed=*/12);
}

TEST(GradientCheck, ReLU) {
  expect_layer_gradient_matches(std::make_unique<ReLU<double>>(), /*seed=*/13);
  expect_network_gradient_matches(std::make_unique<ReLU<double>>(), /*seed=*/14);
}

// torch.relu(nan) is nan, and threshold_backward passes the gradient where the output is nan
// (it zeroes only where output <= 0): a diverging run shows its NaN instead of hiding it. Also
// across the slices a thread pool cuts the layer into.
TEST(ReLU, PassesNaNThroughBothWaysAsTorch) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  kernels::ThreadPool pool(2);
  for (kernels::ThreadPool* threads : {static_cast<kernels::ThreadPool*>(nullptr), &pool}) {
    ReLU<double> relu;
    relu.use_threads(threads);
    Matrix<double> input = Matrix<double>::Constant(200, 100, -1.0);  // several slices
    input(0, 0) = nan;
    input(199, 99) = 2.0;
    input(150, 3) = 0.0;
    const Matrix<double> output = relu.forward(view_of(input));
    EXPECT_TRUE(std::isnan(output(0, 0)));
    EXPECT_EQ(output(199, 99), 2.0);
    EXPECT_EQ(output(150, 3), 0.0);
    EXPECT_EQ(output(7, 7), 0.0);
    const Matrix<double> doutput = Matrix<double>::Constant(200, 100, 3.0);
    const Matrix<double> dinput = relu.backward(view_of(doutput));
    EXPECT_EQ(dinput(0, 0), 3.0);  // output nan: not <= 0, the gradient passes
    EXPECT_EQ(dinput(199, 99), 3.0);
    EXPECT_EQ(dinput(150, 3), 0.0);  // the kink takes 0, as torch
    EXPECT_EQ(dinput(7, 7), 0.0);
  }
}

TEST(GradientCheck, LeakyReLU) {
  expect_layer_gradient_matches(std::make_unique<LeakyReLU<double>>(), /*seed=*/15);
  expect_layer_gradient_matches(std::make_unique<LeakyReLU<double>>(/*negative_slope=*/0.2),
                                /*seed=*/16);
  expect_layer_gradient_matches(std::make_unique<LeakyReLU<double>>(/*negative_slope=*/-0.5),
                                /*seed=*/17);
  expect_network_gradient_matches(std::make_unique<LeakyReLU<double>>(/*negative_slope=*/0.1),
                                  /*seed=*/18);
}

TEST(GradientCheck, GELU) {
  expect_layer_gradient_matches(std::make_unique<GELU<double>>(), /*seed=*/19);
  expect_network_gradient_matches(std::make_unique<GELU<double>>(), /*seed=*/20);
}

TEST(GradientCheck, Softmax) {
  expect_layer_gradient_matches(std::make_unique<Softmax<double>>(), /*seed=*/21);
  expect_network_gradient_matches(std::make_unique<Softmax<double>>(), /*seed=*/22);
}

TEST(GradientCheck, DropoutInEvaluationMode) {
  expect_layer_gradient_matches(std::make_unique<Dropout<double>>(/*p=*/0.5), /*seed=*/23);
}

// Dropout's numbers depend on the position only, so every forward pass of the finite difference
// (made at one position) sees the same mask.
TEST(GradientCheck, DropoutInTrainingModeWithAFixedMask) {
  Random random(/*seed=*/24);
  const SampleRandom dropout_random(/*seed=*/25);
  Sequential<double> model(/*inputs=*/4);
  model.emplace<Dense<double>>(4, 8, Bias::add);
  auto& dropout = model.emplace<Dropout<double>>(/*p=*/0.5);
  model.emplace<Dense<double>>(8, 2, Bias::none);
  randomize_parameters(model, random);
  model.train(dropout_random);
  ASSERT_TRUE(dropout.training());

  int kept = 0;  // of the mask every forward pass applies: 6 rows × 8 units of stream 1
  for (Index row = 0; row < 6; ++row) {
    for (Index unit = 0; unit < 8; ++unit)
      kept += dropout_random.uniform(/*stream=*/1, row, unit) >= 0.5;
  }
  ASSERT_GT(kept, 0);
  ASSERT_LT(kept, 6 * 8);
  expect_gradients_match(model, random_matrix(6, 4, random), random);
}

// tanh(0.5) = 0.46211715726000974;  1 − tanh²(0.5) = 0.7864477329659274
TEST(Tanh, ValuesByHand) {
  Tanh<double> tanh;
  EXPECT_DOUBLE_EQ(forward(tanh, row({0.5}))(0, 0), 0.46211715726000974);
  EXPECT_DOUBLE_EQ(backward(tanh, row({1.0}))(0, 0), 0.7864477329659274);
  const Matrix<double>& saturated = forward(tanh, row({1000, -1000}));
  EXPECT_EQ(saturated, row({1, -1}));
  EXPECT_EQ(backward(tanh, row({1, 1})), row({0, 0}));
}

// max(x, 0), with derivative 0 at the kink as torch takes it.
TEST(ReLU, ValuesByHand) {
  ReLU<double> relu;
  EXPECT_EQ(forward(relu, row({-2, 0, 3})), row({0, 0, 3}));
  EXPECT_EQ(backward(relu, row({5, 5, 5})), row({0, 0, 5}));
}

// (x > 0 ? x : a·x), with derivative a at the kink as torch takes it.
TEST(LeakyReLU, ValuesByHand) {
  LeakyReLU<double> leaky(/*negative_slope=*/0.25);
  EXPECT_EQ(leaky.negative_slope(), 0.25);
  const Matrix<double> input = row({-2, 0, 3});  // alive until backward(), as the contract asks
  EXPECT_EQ(forward(leaky, input), row({-0.5, 0, 3}));
  EXPECT_EQ(backward(leaky, row({4, 4, 4})), row({1, 1, 4}));
}

TEST(LeakyReLU, DefaultSlopeIsTorchs) {
  LeakyReLU<double> leaky;
  EXPECT_EQ(leaky.negative_slope(), 0.01);
  EXPECT_DOUBLE_EQ(forward(leaky, row({-3}))(0, 0), -0.03);
}

// GELU(1) = Φ(1) = 0.8413447460685429, GELU(−1) = −Φ(−1) = −0.15865525393145707;
// GELU'(1) = Φ(1) + φ(1) = 1.0833154705876864, GELU'(0) = ½; the rest as torch gives them.
TEST(GELU, ValuesByHand) {
  GELU<double> gelu;
  const Matrix<double> input = row({1, -1, 0, 2.5});
  const Matrix<double>& output = forward(gelu, input);
  EXPECT_DOUBLE_EQ(output(0, 0), 0.8413447460685429);
  EXPECT_DOUBLE_EQ(output(0, 1), -0.15865525393145707);
  EXPECT_EQ(output(0, 2), 0);
  EXPECT_DOUBLE_EQ(output(0, 3), 2.4844758366855597);
  const Matrix<double>& dinput = backward(gelu, row({1, 1, 1, 1}));
  EXPECT_DOUBLE_EQ(dinput(0, 0), 1.0833154705876864);
  EXPECT_NEAR(dinput(0, 1), -0.08331547058768635, 1e-16);  // Φ(−1) − φ(−1) cancels digits
  EXPECT_DOUBLE_EQ(dinput(0, 2), 0.5);
  EXPECT_DOUBLE_EQ(dinput(0, 3), 1.037611085908145);
}

TEST(Softmax, RowsAreDistributions) {
  Random random(/*seed=*/30);
  Softmax<double> softmax;
  const Matrix<double> input = random_matrix(6, 5, random, -4, 4);
  const Matrix<double>& output = forward(softmax, input);
  for (Index r = 0; r < output.rows(); ++r) {
    EXPECT_NEAR(output.row(r).sum(), 1.0, 1e-15) << "row " << r;
    EXPECT_GT(output.row(r).minCoeff(), 0) << "row " << r;
  }
  // Softmax ignores a constant added to a row.
  Matrix<double> shifted = input;
  shifted.row(2).array() += 100;
  const Matrix<double> expected = output;
  EXPECT_TRUE(forward(softmax, shifted).isApprox(expected, 1e-13));
  // Each row of dinput sums to 0: the Jacobian's rows are orthogonal to the ones vector.
  const Matrix<double>& dinput = backward(softmax, random_matrix(6, 5, random));
  for (Index r = 0; r < dinput.rows(); ++r)
    EXPECT_NEAR(dinput.row(r).sum(), 0.0, 1e-15) << "row " << r;
}

// softmax([0, ln 3]) = [¼, ¾]; softmax([1, 2, 3]) as torch gives it.
TEST(Softmax, ValuesByHand) {
  Softmax<double> softmax;
  const Matrix<double> quarter = forward(softmax, row({0, std::log(3.0)}));
  EXPECT_DOUBLE_EQ(quarter(0, 0), 0.25);
  EXPECT_DOUBLE_EQ(quarter(0, 1), 0.75);
  const Matrix<double> output = forward(softmax, row({1, 2, 3}));
  EXPECT_DOUBLE_EQ(output(0, 0), 0.09003057317038045);
  EXPECT_DOUBLE_EQ(output(0, 1), 0.2447284710547976);
  EXPECT_DOUBLE_EQ(output(0, 2), 0.6652409557748218);
}

// Without subtracting the row max, e^1000 overflows to inf and inf/inf is NaN.
TEST(Softmax, LargeLogitsStayFinite) {
  Softmax<double> softmax;
  Matrix<double> input(3, 2);
  input << 1000, 0, -1000, 0, 1000, 1000;
  const Matrix<double>& output = forward(softmax, input);
  Matrix<double> expected(3, 2);
  expected << 1, 0, 0, 1, 0.5, 0.5;
  EXPECT_EQ(output, expected);
  EXPECT_TRUE(backward(softmax, Matrix<double>::Ones(3, 2)).allFinite());

  Softmax<float> softmax_float;
  EXPECT_TRUE(softmax_float.forward(view_of(Matrix<float>(input.cast<float>()))).allFinite());
}

TEST(Dropout, RejectsProbabilitiesOutsideZeroToOne) {
  EXPECT_THROW(Dropout<double>(/*p=*/-0.1), std::invalid_argument);
  EXPECT_THROW(Dropout<double>(/*p=*/1.0), std::invalid_argument);
  EXPECT_THROW(Dropout<double>(/*p=*/1.5), std::invalid_argument);
  EXPECT_THROW(Dropout<float>(/*p=*/std::numeric_limits<double>::quiet_NaN()),
               std::invalid_argument);
  EXPECT_NO_THROW(Dropout<double>(/*p=*/0.0));
  EXPECT_NO_THROW(Dropout<double>(/*p=*/0.999));
  EXPECT_EQ(Dropout<double>().p(), 0.5);  // torch's default
}

TEST(Dropout, EvaluationModeIsTheIdentity) {
  Random random(/*seed=*/31);
  Dropout<double> dropout(/*p=*/0.5);
  EXPECT_FALSE(dropout.training());  // layers start in evaluation mode
  const Matrix<double> input = random_matrix(4, 6, random);
  const Matrix<double> doutput = random_matrix(4, 6, random);
  EXPECT_EQ(forward(dropout, input), input);
  EXPECT_EQ(backward(dropout, doutput), doutput);

  const SampleRandom masks(/*seed=*/31);
  dropout.train(masks.stream(0));
  dropout.eval();
  EXPECT_FALSE(dropout.training());
  EXPECT_EQ(forward(dropout, input), input);
  EXPECT_EQ(backward(dropout, doutput), doutput);
}

// p = 0.5 over 10 000 elements: the dropped count is Binomial(10000, ½), mean 5000, standard
// deviation 50; ±500 is ten deviations. Survivors are x / (1 − p) = 2x, exactly.
TEST(Dropout, TrainingDropsAboutPAndScalesSurvivors) {
  Random random(/*seed=*/32);
  const Matrix<double> input = random_matrix(100, 100, random, 0.5, 1.5);  // never 0
  const SampleRandom masks(/*seed=*/32);
  Dropout<double> dropout(/*p=*/0.5);
  dropout.train(masks.stream(0));
  const Matrix<double>& output = forward(dropout, input);
  Index dropped = 0;
  for (Index r = 0; r < input.rows(); ++r) {
    for (Index c = 0; c < input.cols(); ++c) {
      if (output(r, c) == 0) {
        ++dropped;
      } else {
        ASSERT_EQ(output(r, c), 2 * input(r, c)) << "at (" << r << ", " << c << ")";
      }
    }
  }
  EXPECT_NEAR(double(dropped), 5000, 500);

  Dropout<double> light(/*p=*/0.2);
  light.train(masks.stream(1));
  const Matrix<double>& light_output = forward(light, input);
  const Index light_dropped = (light_output.array() == 0).count();
  EXPECT_NEAR(double(light_dropped), 2000, 400);  // sd 40
  for (Index i = 0; i < input.size(); ++i) {
    const double y = light_output.data()[i];
    if (y != 0) {
      EXPECT_DOUBLE_EQ(y, input.data()[i] / 0.8);
    }
  }
}

// The mask follows the documented draw: element (r, c) survives when the stream's number for
// row r, element c, at the position set, is >= p; rows are counted from the position's first row.
TEST(Dropout, MaskIsTheStreamsNumberForEachElement) {
  SampleRandom masks(/*seed=*/33);
  masks.set_position(/*step=*/7, /*first_row=*/2);
  Dropout<double> dropout(/*p=*/0.3);
  dropout.train(masks.stream(4));
  const Matrix<double>& output = forward(dropout, Matrix<double>::Ones(3, 4));
  SampleRandom reference(/*seed=*/33);
  reference.set_position(/*step=*/7, /*first_row=*/0);
  for (Index r = 0; r < 3; ++r) {
    for (Index c = 0; c < 4; ++c) {
      const bool kept = reference.uniform(/*stream=*/4, r + 2, c) >= 0.3;
      EXPECT_EQ(output(r, c), kept ? 1 / (1 - 0.3) : 0) << "at (" << r << ", " << c << ")";
    }
  }
}

TEST(Dropout, BackwardUsesTheForwardMask) {
  Random random(/*seed=*/34);
  const Matrix<double> doutput = random_matrix(20, 30, random);
  SampleRandom masks(/*seed=*/34);
  Dropout<double> dropout(/*p=*/0.4);
  dropout.train(masks.stream(0));
  const Matrix<double> mask = forward(dropout, Matrix<double>::Ones(20, 30));  // 0 or 1/(1−p)
  EXPECT_GT((mask.array() == 0).count(), 0);
  EXPECT_GT((mask.array() != 0).count(), 0);
  EXPECT_EQ(backward(dropout, doutput), doutput.cwiseProduct(mask));

  // Switching to evaluation between forward and backward does not change the pass in flight.
  masks.set_position(/*step=*/1, /*first_row=*/0);
  const Matrix<double> second_mask = forward(dropout, Matrix<double>::Ones(20, 30));
  EXPECT_NE(second_mask, mask);
  dropout.eval();
  EXPECT_EQ(backward(dropout, doutput), doutput.cwiseProduct(second_mask));
}

TEST(Dropout, SameSeedAndPositionSameMask) {
  const Matrix<double> input = Matrix<double>::Ones(8, 16);
  SampleRandom first_random(/*seed=*/35), other_random(/*seed=*/36);
  const SampleRandom second_random(/*seed=*/35);
  Dropout<double> first(/*p=*/0.5), second(/*p=*/0.5), other(/*p=*/0.5), other_stream(/*p=*/0.5);
  first.train(first_random.stream(0));
  second.train(second_random.stream(0));
  other.train(other_random.stream(0));
  other_stream.train(first_random.stream(1));
  const Matrix<double> first_mask = forward(first, input);
  EXPECT_EQ(forward(first, input), first_mask);  // the same position: the same mask
  EXPECT_EQ(forward(second, input), first_mask);
  EXPECT_NE(forward(other, input), first_mask);
  EXPECT_NE(forward(other_stream, input), first_mask);  // another layer draws its own
  first_random.set_position(/*step=*/1, /*first_row=*/0);
  EXPECT_NE(forward(first, input), first_mask);  // each step draws a fresh mask
}

// A row's mask depends on its place in the batch, not on the rows forwarded with it: the rows
// 3..7 of a batch forwarded alone (as a shard) get the masks they get in the whole batch.
TEST(Dropout, AShardDrawsTheWholeBatchsMasksForItsRows) {
  const Matrix<double> input = Matrix<double>::Ones(8, 16);
  SampleRandom masks(/*seed=*/39);
  Dropout<double> dropout(/*p=*/0.5);
  dropout.train(masks.stream(2));
  masks.set_position(/*step=*/5, /*first_row=*/0);
  const Matrix<double> whole = forward(dropout, input);
  masks.set_position(/*step=*/5, /*first_row=*/3);
  EXPECT_EQ(forward(dropout, Matrix<double>(input.middleRows(3, 5))), whole.middleRows(3, 5));
}

TEST(Dropout, ZeroProbabilityIsTheIdentityWhileTraining) {
  Random random(/*seed=*/37);
  const Matrix<double> input = random_matrix(5, 7, random);
  const SampleRandom masks(/*seed=*/37);
  Dropout<double> dropout(/*p=*/0.0);
  dropout.train(masks.stream(0));
  EXPECT_EQ(forward(dropout, input), input);
  EXPECT_EQ(backward(dropout, input), input);
}

TEST(Dropout, SequentialSwitchesModes) {
  const SampleRandom masks(/*seed=*/38);
  Sequential<double> model(/*inputs=*/50);
  auto& dropout = model.emplace<Dropout<double>>(/*p=*/0.5);
  const Matrix<double> input = Matrix<double>::Ones(4, 50);
  EXPECT_EQ(model.forward(input), input);
  model.train(masks);
  EXPECT_TRUE(dropout.training());
  EXPECT_GT((model.forward(input).array() == 0).count(), 0);
  model.eval();
  EXPECT_FALSE(dropout.training());
  EXPECT_EQ(model.forward(input), input);
}

}  // namespace
}  // namespace scratchnet
