// Non-finite values stop training at once, name where they began, and leave the weights as
// they were before the step; --detect-anomaly checks every layer and changes no result.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <vector>

#include "scratchnet/init/initializer.hpp"
#include "scratchnet/layers/dense.hpp"
#include "scratchnet/layers/dropout.hpp"
#include "scratchnet/layers/relu.hpp"
#include "scratchnet/losses/softmax_cross_entropy.hpp"
#include "scratchnet/optimizers/adam.hpp"
#include "scratchnet/optimizers/sgd.hpp"
#include "scratchnet/training/anomaly.hpp"
#include "scratchnet/training/trainer.hpp"

namespace scratchnet {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
constexpr float kInfinity = std::numeric_limits<float>::infinity();

TEST(AllFinite, FindsANaNOrAnInfinityAnywhere) {
  kernels::ThreadPool pool(2);
  for (kernels::ThreadPool* threads : {static_cast<kernels::ThreadPool*>(nullptr), &pool}) {
    std::vector<float> values(100'003, 1.5f);
    EXPECT_TRUE(all_finite(values.data(), Index(values.size()), threads));
    for (const std::size_t at : {std::size_t(0), std::size_t(16384), values.size() - 1}) {
      for (const float bad : {kNaN, kInfinity, -kInfinity}) {
        values[at] = bad;
        EXPECT_FALSE(all_finite(values.data(), Index(values.size()), threads))
            << bad << " at " << at;
        values[at] = 1.5f;
      }
    }
  }
}

TEST(AllFinite, AcceptsEveryFiniteValue) {
  const std::vector<double> values = {0.0,
                                      -0.0,
                                      std::numeric_limits<double>::max(),
                                      -std::numeric_limits<double>::max(),
                                      std::numeric_limits<double>::denorm_min(),
                                      std::numeric_limits<double>::min()};
  EXPECT_TRUE(all_finite(values.data(), Index(values.size())));
  EXPECT_TRUE(all_finite<float>(nullptr, 0));
}

// A layer that passes its input through, with one parameter, and can be told to poison its
// output, its input gradient, or its parameter gradient: the faults to be found.
class Poison final : public Layer<float> {
 public:
  float output_value = 0;          // when not 0, every output element becomes this
  float input_gradient_value = 0;  // likewise for dloss/dinput
  float parameter_gradient = 0;    // added to the parameter's gradient by backward
  int poison_from_call = 0;        // forward calls before the poison starts

  LayerDescription describe() const override { return {"Poison", {}}; }
  std::vector<ParameterShape> parameter_shapes() const override { return {{"scale", {1}}}; }
  void bind_parameters(float* values, float* gradients) override {
    value_ = values;
    gradient_ = gradients;
  }
  ConstMatrixView<float> forward(ConstMatrixView<float> input) override {
    output_ = input;
    poisoned_ = calls_++ >= poison_from_call;
    if (poisoned_ && output_value != 0) output_.setConstant(output_value);
    return {output_.data(), output_.rows(), output_.cols()};
  }
  ConstMatrixView<float> backward(ConstMatrixView<float> doutput) override {
    *gradient_ += parameter_gradient;
    dinput_ = doutput;
    if (poisoned_ && input_gradient_value != 0) dinput_.setConstant(input_gradient_value);
    return {dinput_.data(), dinput_.rows(), dinput_.cols()};
  }
  float value() const { return *value_; }

 private:
  float* value_ = nullptr;
  float* gradient_ = nullptr;
  int calls_ = 0;
  bool poisoned_ = false;
  Matrix<float> output_, dinput_;
};

struct PoisonedNetwork {
  Sequential<float> model{/*inputs=*/3};
  Poison* poison = nullptr;

  PoisonedNetwork() {
    model.emplace<Dense<float>>(3, 4);
    model.emplace<ReLU<float>>();
    poison = &model.emplace<Poison>();
    model.emplace<Dense<float>>(4, 2);
    Random random(/*seed=*/1);
    initialize(model, Initializer::torch_default, random);
  }
};

InMemoryDataset<float> two_classes(Index rows) {
  Matrix<float> features(rows, 3), targets(rows, 1);
  for (Index i = 0; i < rows; ++i) {
    features.row(i) << float(i % 5) - 2, float(i % 3), float(i % 7) / 7;
    targets(i, 0) = float(i % 2);
  }
  return InMemoryDataset<float>(features, targets);
}

TrainingOptions four_rows_per_batch() {
  TrainingOptions options;
  options.batch_size = 4;
  options.epochs = 3;
  return options;
}

// Trains until the poison strikes; returns what was thrown, checking that the weights are those
// from before the failing step.
NonFiniteValue train_until_it_fails(PoisonedNetwork& network, int steps_before_failing) {
  SoftmaxCrossEntropy<float> loss;
  Sgd<float> sgd(0.1);
  Trainer<float> trainer(network.model, loss, sgd, four_rows_per_batch());
  const InMemoryDataset<float> data = two_classes(16);  // 4 batches per epoch
  Random random(/*seed=*/2);
  std::vector<float> before(network.model.parameters().begin(), network.model.parameters().end());
  int steps = 0;
  TrainingCallbacks callbacks;
  callbacks.on_batch = [&](const BatchProgress&) {
    ++steps;
    before.assign(network.model.parameters().begin(), network.model.parameters().end());
  };
  network.poison->poison_from_call = steps_before_failing;
  try {
    trainer.fit(data, nullptr, random, callbacks);
  } catch (const NonFiniteError& error) {
    EXPECT_EQ(steps, steps_before_failing);
    const VectorView<float> now = network.model.parameters();
    EXPECT_TRUE(std::equal(now.begin(), now.end(), before.begin())) << "the weights moved";
    return error.value();
  }
  ADD_FAILURE() << "training did not stop";
  return {};
}

TEST(NonFiniteTraining, ANaNOutputStopsAtOnceAndNamesTheLayer) {
  PoisonedNetwork network;
  network.poison->output_value = kNaN;
  const NonFiniteValue where = train_until_it_fails(network, /*steps_before_failing=*/6);
  EXPECT_EQ(where.quantity, "output");
  EXPECT_EQ(where.layer, 2u);
  EXPECT_EQ(where.layer_name, "Poison");
  EXPECT_EQ(where.epoch, 2);  // step 7 of 4 per epoch
  EXPECT_EQ(where.batch, 3);
  EXPECT_EQ(where.describe(), "non-finite output of layer 2 (Poison) at epoch 2, batch 3");
}

TEST(NonFiniteTraining, AnInfiniteInputGradientIsFoundWhereItBegan) {
  PoisonedNetwork network;
  network.poison->input_gradient_value = kInfinity;
  const NonFiniteValue where = train_until_it_fails(network, /*steps_before_failing=*/0);
  // The loss is finite; layer 0's weight gradient is the first non-finite thing the optimizer
  // would see, but the fault is layer 2's input gradient.
  EXPECT_EQ(where.quantity, "gradient");
  EXPECT_EQ(where.layer, 2u);
  EXPECT_EQ(where.epoch, 1);
  EXPECT_EQ(where.batch, 1);
}

TEST(NonFiniteTraining, WeightsThatOverflowInAnUpdateAreNeverKept) {
  PoisonedNetwork network;
  network.poison->parameter_gradient = -3e38f;  // finite, but 3e38 + 3e38 is not
  const Index scale = network.model.named_parameters()[2].offset;
  network.model.parameters()[scale] = 3e38f;
  SoftmaxCrossEntropy<float> loss;
  Sgd<float> sgd(1.0);
  TrainingOptions options = four_rows_per_batch();
  Trainer<float> trainer(network.model, loss, sgd, options);
  const InMemoryDataset<float> data = two_classes(4);  // one batch per epoch
  Random random(/*seed=*/2);
  bool saw_an_epoch_end = false;
  TrainingCallbacks callbacks;
  callbacks.on_epoch = [&](const EpochMetrics&) { return saw_an_epoch_end = true; };
  try {
    trainer.fit(data, nullptr, random, callbacks);
    ADD_FAILURE() << "training did not stop";
  } catch (const NonFiniteError& error) {
    EXPECT_EQ(error.value().quantity, "weights");
    EXPECT_EQ(error.value().epoch, 1);
    EXPECT_FALSE(saw_an_epoch_end) << "a checkpoint could have been written";
  }
}

TEST(NonFiniteTraining, ANaNInTheDataIsCalledInput) {
  PoisonedNetwork network;
  SoftmaxCrossEntropy<float> loss;
  Sgd<float> sgd(0.1);
  Trainer<float> trainer(network.model, loss, sgd, four_rows_per_batch());
  Matrix<float> features = Matrix<float>::Ones(4, 3), targets = Matrix<float>::Zero(4, 1);
  features(2, 1) = kNaN;
  try {
    trainer.train_step(features, targets);
    ADD_FAILURE() << "no error";
  } catch (const NonFiniteError& error) {
    EXPECT_EQ(error.value().quantity, "input");
    EXPECT_FALSE(error.value().layer.has_value());
  }
}

// With nothing wrong, checking every layer gives the very same training, Dropout included.
TEST(DetectAnomaly, ChangesNoResult) {
  const auto train = [](bool detect_anomaly) {
    Sequential<float> model(/*inputs=*/3);
    model.emplace<Dense<float>>(3, 8);
    model.emplace<ReLU<float>>();
    model.emplace<Dropout<float>>(0.25);
    model.emplace<Dense<float>>(8, 2);
    Random random(/*seed=*/5);
    initialize(model, Initializer::torch_default, random);
    SoftmaxCrossEntropy<float> loss;
    Adam<float> adam(AdamOptions{.lr = 0.01});
    TrainingOptions options = four_rows_per_batch();
    options.detect_anomaly = detect_anomaly;
    Trainer<float> trainer(model, loss, adam, options);
    const TrainingResult result = trainer.fit(two_classes(30), nullptr, random);
    return std::pair(std::vector<float>(model.parameters().begin(), model.parameters().end()),
                     result.epochs.back().accuracy);
  };
  EXPECT_EQ(train(true), train(false));
}

}  // namespace
}  // namespace scratchnet
