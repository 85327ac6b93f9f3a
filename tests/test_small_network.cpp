// SmallNetwork against the general path (Sequential's forward and backward_parameters, the loss,
// Sgd's step) bit for bit, on XOR and on other small networks: every width, bias or none, every
// elementwise activation, both losses, several steps; and what it refuses. CI runs this file once
// per instruction set the machine has (SCRATCHNET_ISA), so each path is held to the same bits.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "scratchnet/init/initializer.hpp"
#include "scratchnet/layers/dense.hpp"
#include "scratchnet/layers/dropout.hpp"
#include "scratchnet/layers/gelu.hpp"
#include "scratchnet/layers/leaky_relu.hpp"
#include "scratchnet/layers/relu.hpp"
#include "scratchnet/layers/sigmoid.hpp"
#include "scratchnet/layers/softmax.hpp"
#include "scratchnet/layers/tanh.hpp"
#include "scratchnet/losses/mean_squared_error.hpp"
#include "scratchnet/losses/sum_squared_error.hpp"
#include "scratchnet/model/small_network.hpp"
#include "scratchnet/optimizers/sgd.hpp"
#include "scratchnet/xor.hpp"

namespace scratchnet {
namespace {

using MakeActivation = std::function<std::unique_ptr<Layer<double>>()>;

struct Activation {
  std::string name;
  MakeActivation make;
};

const std::vector<Activation>& activations() {
  static const std::vector<Activation> all = {
      {"Sigmoid", [] { return std::make_unique<Sigmoid<double>>(); }},
      {"Tanh", [] { return std::make_unique<Tanh<double>>(); }},
      {"ReLU", [] { return std::make_unique<ReLU<double>>(); }},
      {"LeakyReLU(0.01)", [] { return std::make_unique<LeakyReLU<double>>(); }},
      {"LeakyReLU(-0.5)", [] { return std::make_unique<LeakyReLU<double>>(-0.5); }},
      {"GELU", [] { return std::make_unique<GELU<double>>(); }},
  };
  return all;
}

// widths[0] inputs, then a Dense layer to each next width, each followed by an activation
// (after the last one too when `activate_output`).
Sequential<double> make_network(const std::vector<Index>& widths, Bias bias,
                                const MakeActivation& activation, bool activate_output,
                                std::uint32_t seed) {
  Sequential<double> network(widths.front());
  for (std::size_t i = 1; i < widths.size(); ++i) {
    network.emplace<Dense<double>>(widths[i - 1], widths[i], bias);
    if (i + 1 < widths.size() || activate_output) network.add(activation());
  }
  Random random(seed);
  initialize(network, Initializer::torch_default, random);
  return network;
}

Matrix<double> random_matrix(Index rows, Index cols, std::uint32_t seed) {
  Random random(seed);
  Matrix<double> matrix(rows, cols);
  for (Index i = 0; i < matrix.size(); ++i)
    matrix.data()[i] = 2 * random.uniform() - 1;
  return matrix;
}

std::unique_ptr<Loss<double>> make_loss(SmallLoss loss) {
  if (loss == SmallLoss::sum_squared_error) return std::make_unique<SumSquaredError<double>>();
  return std::make_unique<MeanSquaredError<double>>();
}

// The general path, as train_xor_sequential runs it. Returns the last loss.
double train_generally(Sequential<double>& network, SmallLoss loss_kind, double learning_rate,
                       const Matrix<double>& inputs, const Matrix<double>& targets,
                       std::int64_t iterations) {
  const std::unique_ptr<Loss<double>> loss = make_loss(loss_kind);
  Sgd<double> sgd(learning_rate);
  double value = 0;
  for (std::int64_t iteration = 0; iteration < iterations; ++iteration) {
    network.zero_gradients();
    value = loss->forward(network.forward(inputs), targets);
    network.backward_parameters(loss->backward());
    sgd.step(network.parameters(), network.gradients());
  }
  return value;
}

// Bits, so that +0 and −0 differ and a NaN equals itself.
std::uint64_t bits(double value) {
  return std::bit_cast<std::uint64_t>(value);
}

void expect_same_bits(ConstMatrixView<double> actual, ConstMatrixView<double> expected,
                      const char* what) {
  ASSERT_EQ(actual.rows(), expected.rows()) << what;
  ASSERT_EQ(actual.cols(), expected.cols()) << what;
  for (Index i = 0; i < actual.size(); ++i)
    ASSERT_EQ(bits(actual.data()[i]), bits(expected.data()[i]))
        << what << " element " << i << ": " << actual.data()[i] << " vs " << expected.data()[i];
}

struct Setting {
  std::vector<Index> widths;
  Bias bias = Bias::add;
  bool activate_output = true;
  SmallLoss loss = SmallLoss::sum_squared_error;
  double learning_rate = 0.1;
  Index rows = 4;
  std::int64_t iterations = 200;
};

std::string describe(const Setting& setting, const std::string& activation) {
  std::string widths;
  for (const Index width : setting.widths)
    widths += (widths.empty() ? "" : "-") + std::to_string(width);
  return widths + " " + activation + (setting.bias == Bias::add ? ", bias" : ", no bias") +
         (setting.activate_output ? ", activated output" : ", linear output") +
         (setting.loss == SmallLoss::sum_squared_error ? ", SSE" : ", MSE") + ", lr " +
         std::to_string(setting.learning_rate) + ", " + std::to_string(setting.rows) + " rows, " +
         std::to_string(setting.iterations) + " steps";
}

// Trains two copies of one network, one each way, and compares every bit they end with.
void expect_same_training(const Setting& setting, const Activation& activation,
                          std::uint32_t seed) {
  SCOPED_TRACE(describe(setting, activation.name));
  Sequential<double> general =
      make_network(setting.widths, setting.bias, activation.make, setting.activate_output, seed);
  Sequential<double> small =
      make_network(setting.widths, setting.bias, activation.make, setting.activate_output, seed);
  const Matrix<double> inputs = random_matrix(setting.rows, setting.widths.front(), seed + 1);
  const Matrix<double> targets = random_matrix(setting.rows, setting.widths.back(), seed + 2);

  const double general_loss = train_generally(general, setting.loss, setting.learning_rate, inputs,
                                              targets, setting.iterations);
  SmallNetwork trainer(small, setting.loss, setting.learning_rate, inputs, targets);
  trainer.train(setting.iterations);

  const VectorView<double> expected = general.parameters(), actual = small.parameters();
  expect_same_bits({actual.data(), 1, actual.size()}, {expected.data(), 1, expected.size()},
                   "parameters");
  expect_same_bits(trainer.output(), general.output(), "output");
  EXPECT_EQ(bits(trainer.loss()), bits(general_loss)) << trainer.loss() << " vs " << general_loss;
}

TEST(SmallNetwork, XorAtEveryHiddenSizeEqualsTheGeneralPath) {
  for (const Index hidden : {1, 3, 4, 5, 17}) {
    Setting setting{
        .widths = {2, hidden, 1}, .bias = Bias::none, .learning_rate = 1.0, .iterations = 1500};
    expect_same_training(setting, activations()[0], /*seed=*/std::uint32_t(hidden));
  }
}

TEST(SmallNetwork, EveryActivationWithAndWithoutBiasEqualsTheGeneralPath) {
  for (const Activation& activation : activations()) {
    for (const Bias bias : {Bias::add, Bias::none}) {
      expect_same_training({.widths = {3, 7, 5, 2}, .bias = bias, .rows = 6}, activation, 11);
    }
  }
}

TEST(SmallNetwork, EveryLossAndLearningRateEqualsTheGeneralPath) {
  for (const SmallLoss loss : {SmallLoss::sum_squared_error, SmallLoss::mean_squared_error}) {
    for (const double learning_rate : {0.01, 0.5, 3.0}) {
      for (const Activation& activation : {activations()[1], activations()[2]}) {
        expect_same_training({.widths = {4, 9, 3},
                              .activate_output = false,
                              .loss = loss,
                              .learning_rate = learning_rate,
                              .rows = 8},
                             activation, 21);
      }
    }
  }
}

// Widths of 1, 2, 4 and 8 on 4 or 8 rows take the loop's unrolled code (fixed widths).
TEST(SmallNetwork, UnrolledWidthsEqualTheGeneralPath) {
  for (const Index rows : {4, 8}) {
    for (const Bias bias : {Bias::add, Bias::none}) {
      for (const Activation& activation : {activations()[0], activations()[1]}) {
        expect_same_training({.widths = {1, 8, 4, 2, 1}, .bias = bias, .rows = rows}, activation,
                             41);
        expect_same_training({.widths = {8, 2, 8}, .bias = bias, .rows = rows}, activation, 42);
      }
    }
  }
}

TEST(SmallNetwork, OtherShapesEqualTheGeneralPath) {
  const Activation& tanh = activations()[1];
  expect_same_training({.widths = {1, 1}, .rows = 1, .iterations = 50}, tanh, 31);  // one Dense
  expect_same_training({.widths = {5, 16, 16, 3}, .rows = 16, .iterations = 30}, tanh, 32);
  expect_same_training({.widths = {3, 7, 5, 2}, .rows = 1}, activations()[5], 33);
  // An activation before the first Dense layer, which backward_parameters never reaches.
  Sequential<double> general(3), small(3);
  for (Sequential<double>* network : {&general, &small}) {
    network->emplace<Tanh<double>>();
    network->emplace<Dense<double>>(3, 2);
    network->emplace<Sigmoid<double>>();
    Random random(34);
    initialize(*network, Initializer::torch_default, random);
  }
  const Matrix<double> inputs = random_matrix(5, 3, 35), targets = random_matrix(5, 2, 36);
  const double loss =
      train_generally(general, SmallLoss::mean_squared_error, 0.7, inputs, targets, 100);
  SmallNetwork trainer(small, SmallLoss::mean_squared_error, 0.7, inputs, targets);
  trainer.train(100);
  EXPECT_EQ(bits(trainer.loss()), bits(loss));
  expect_same_bits(trainer.output(), general.output(), "output");
}

// Steps large enough to saturate every unit, send sigmoids to 0 and 1 and gradients to ±0.
TEST(SmallNetwork, SaturatingStepsEqualTheGeneralPath) {
  for (const Activation& activation : activations()) {
    expect_same_training({.widths = {2, 6, 1}, .learning_rate = 1e4, .iterations = 40}, activation,
                         41);
  }
}

TEST(SmallNetwork, TrainingInPartsEqualsTrainingAtOnce) {
  const Matrix<double> inputs = xor_inputs(), targets = xor_targets();
  Random random_once(7), random_parts(7);
  Sequential<double> once = make_xor_network(4, random_once);
  Sequential<double> parts = make_xor_network(4, random_parts);
  SmallNetwork at_once(once, SmallLoss::sum_squared_error, 1.0, inputs, targets);
  SmallNetwork in_parts(parts, SmallLoss::sum_squared_error, 1.0, inputs, targets);
  at_once.train(300);
  in_parts.train(100);
  in_parts.train(200);
  EXPECT_EQ(once.parameters(), parts.parameters());
  EXPECT_EQ(bits(at_once.loss()), bits(in_parts.loss()));
}

TEST(SmallNetwork, RefusesLayersThatAreNotElementwise) {
  const Matrix<double> inputs = random_matrix(4, 3, 1), targets = random_matrix(4, 3, 2);
  Sequential<double> with_dropout(3);
  with_dropout.emplace<Dense<double>>(3, 3);
  with_dropout.emplace<Dropout<double>>(0.5);
  EXPECT_EQ(SmallNetwork::refusal(with_dropout, 4),
            "SmallNetwork: layer 1 (Dropout) is neither Dense nor an elementwise activation");
  Sequential<double> with_softmax(3);
  with_softmax.emplace<Dense<double>>(3, 3);
  with_softmax.emplace<Softmax<double>>();
  try {
    SmallNetwork refused(with_softmax, SmallLoss::sum_squared_error, 0.1, inputs, targets);
    ADD_FAILURE() << "a Softmax layer was taken";
  } catch (const std::invalid_argument& error) {
    EXPECT_STREQ(error.what(),
                 "SmallNetwork: layer 1 (Softmax) is neither Dense nor an elementwise activation");
  }
}

TEST(SmallNetwork, RefusesNetworksBeyondTheL1Cache) {
  Sequential<double> network =
      make_network({5, 16, 16, 16, 16, 3}, Bias::add, activations()[1].make, true, /*seed=*/1);
  // 963 parameters (968 on cache lines), then [width, 16] blocks: the targets (3), the batch (5),
  // an output and a gradient for each layer (4 · 4 · 16, 4 · 3): 5384 doubles.
  EXPECT_EQ(SmallNetwork::refusal(network, 16),
            "SmallNetwork: the network's values on a batch of 16 rows take 43072 bytes, more than "
            "the 32768 it keeps in the L1 cache");
  EXPECT_EQ(SmallNetwork::refusal(network, 4), "");  // the same network on a smaller batch fits
  // A product too big for gemm's plain loops (40 · 40 · 8 multiply-adds), whatever the bytes.
  Sequential<double> wide(40);
  wide.emplace<Dense<double>>(40, 40);
  EXPECT_EQ(SmallNetwork::refusal(wide, 8),
            "SmallNetwork: layer 0 (Linear) is too big to multiply in plain loops on a batch of 8 "
            "rows");
}

TEST(SmallNetwork, RefusesMismatchedBatchesAndBadLearningRates) {
  Random random(3);
  Sequential<double> network = make_xor_network(4, random);
  EXPECT_THROW(SmallNetwork(network, SmallLoss::sum_squared_error, 1.0, xor_inputs(),
                            random_matrix(3, 1, 1)),
               std::invalid_argument);
  EXPECT_THROW(SmallNetwork(network, SmallLoss::sum_squared_error, 1.0, random_matrix(4, 3, 1),
                            xor_targets()),
               std::invalid_argument);
  EXPECT_THROW(
      SmallNetwork(network, SmallLoss::sum_squared_error, -1.0, xor_inputs(), xor_targets()),
      std::invalid_argument);
  Sequential<double> empty(2);
  EXPECT_EQ(SmallNetwork::refusal(empty, 4), "SmallNetwork: the network has no layers");
}

}  // namespace
}  // namespace scratchnet
