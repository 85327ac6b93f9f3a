// The seams that data-parallel training plugs into: a batch cut into shards whose gradients are
// added in shard order, Dropout masks that follow a row wherever it is computed, and the gradient
// hook between backward and the optimizer step. Which bits a sharded batch shares with the
// whole batch, and which it cannot, is shown here.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <vector>

#include "scratchnet/init/initializer.hpp"
#include "scratchnet/layers/dense.hpp"
#include "scratchnet/layers/dropout.hpp"
#include "scratchnet/layers/relu.hpp"
#include "scratchnet/losses/binary_cross_entropy_with_logits.hpp"
#include "scratchnet/losses/mean_squared_error.hpp"
#include "scratchnet/losses/softmax_cross_entropy.hpp"
#include "scratchnet/optimizers/sgd.hpp"
#include "scratchnet/training/anomaly.hpp"
#include "scratchnet/training/trainer.hpp"

namespace scratchnet {
namespace {

constexpr Index kRows = 32, kInputs = 5, kClasses = 3, kShardRows = 8;
constexpr std::uint64_t kDropoutSeed = 17;

// 5 -> 16 -> ReLU -> Dropout(0.25) -> 3, initialised from `seed` alike every time.
template <typename T>
Sequential<T> network() {
  Sequential<T> model(kInputs);
  model.template emplace<Dense<T>>(kInputs, 16);
  model.template emplace<ReLU<T>>();
  model.template emplace<Dropout<T>>(0.25);
  model.template emplace<Dense<T>>(16, kClasses);
  Random random(/*seed=*/4);
  initialize(model, Initializer::torch_default, random);
  return model;
}

template <typename T>
struct Batch {
  Matrix<T> features{kRows, kInputs}, labels{kRows, 1};
  Batch() {
    Random random(/*seed=*/8);
    for (T& value : features.reshaped())
      value = T(random.normal());
    for (T& label : labels.reshaped())
      label = T(random.at_most(kClasses - 1));
  }
};

template <typename T>
std::vector<T> values_of(VectorView<T> view) {
  return {view.data(), view.data() + view.size()};
}

// The gradient a Trainer hands its hook for one step on `batch` with `shard_rows`.
template <typename T>
std::vector<T> hooked_gradient(Index shard_rows) {
  Sequential<T> model = network<T>();
  SoftmaxCrossEntropy<T> loss;
  Sgd<T> sgd(0.1);
  TrainingOptions options;
  options.dropout_seed = kDropoutSeed;
  options.shard_rows = shard_rows;
  Trainer<T> trainer(model, loss, sgd, options);
  std::vector<T> gradient;
  trainer.set_gradient_hook([&](VectorView<T> g) { gradient = values_of(g); });
  model.train(trainer.sample_random());
  const Batch<T> batch;
  trainer.train_step(batch.features, batch.labels);
  return gradient;
}

// The same step computed as K participants would, each shard on a model of its own: forward and
// backward over the shard alone, with the batch's rows as the loss's divisor and Dropout at the
// shard's rows; then the shards' gradients added in shard order.
template <typename T>
std::vector<T> gradient_of_independent_shards() {
  const Batch<T> batch;
  std::vector<T> sum;
  for (Index first = 0; first < kRows; first += kShardRows) {
    Sequential<T> participant = network<T>();
    SoftmaxCrossEntropy<T> loss;
    loss.set_batch_rows(kRows);
    SampleRandom masks(kDropoutSeed);
    masks.set_position(/*step=*/0, first);
    participant.train(masks);
    participant.zero_gradients();
    loss.forward(participant.forward(batch.features.middleRows(first, kShardRows)),
                 batch.labels.middleRows(first, kShardRows));
    participant.backward(loss.backward());
    const std::vector<T> shard = values_of(participant.gradients());
    if (sum.empty()) {
      sum = shard;
    } else {
      for (std::size_t i = 0; i < sum.size(); ++i)
        sum[i] += shard[i];
    }
  }
  return sum;
}

// What a distributed run needs: the batch's gradient does not depend on who computes which shard.
TEST(Shards, TheGradientIsTheOrderedSumOfShardsComputedAnywhere) {
  EXPECT_EQ(hooked_gradient<double>(kShardRows), gradient_of_independent_shards<double>());
  EXPECT_EQ(hooked_gradient<float>(kShardRows), gradient_of_independent_shards<float>());
}

// A shard as large as the batch is the batch.
TEST(Shards, OneShardIsTheWholeBatch) {
  EXPECT_EQ(hooked_gradient<double>(kRows), hooked_gradient<double>(0));
  EXPECT_EQ(hooked_gradient<float>(kRows), hooked_gradient<float>(0));
}

// Where the arithmetic allows the same bits: every per-row quantity. A loss's dloss/dprediction
// rows for a shard, with the batch's rows as divisor, are the whole batch's rows bit for bit.
template <typename T, typename L>
void expect_shard_rows_of_loss_gradient(const Matrix<T>& prediction, const Matrix<T>& target) {
  L whole, shard;
  whole.forward(prediction, target);
  const Matrix<T> whole_gradient = whole.backward();
  shard.set_batch_rows(kRows);
  shard.forward(prediction.middleRows(8, 16), target.middleRows(8, 16));
  EXPECT_EQ(Matrix<T>(shard.backward()), whole_gradient.middleRows(8, 16));
}

TEST(Shards, LossGradientRowsAreTheWholeBatchs) {
  Random random(/*seed=*/5);
  Matrix<float> prediction(kRows, kClasses), classes(kRows, 1), values(kRows, kClasses);
  for (float& value : prediction.reshaped())
    value = float(random.normal());
  for (float& label : classes.reshaped())
    label = float(random.at_most(kClasses - 1));
  for (float& value : values.reshaped())
    value = float(random.uniform());
  expect_shard_rows_of_loss_gradient<float, SoftmaxCrossEntropy<float>>(prediction, classes);
  expect_shard_rows_of_loss_gradient<float, MeanSquaredError<float>>(prediction, values);
  expect_shard_rows_of_loss_gradient<float, BinaryCrossEntropyWithLogits<float>>(prediction,
                                                                                 values);
}

// Where it does not: a parameter's gradient is a sum over the batch's rows, and the shards group
// that sum differently from the matrix product over the whole batch, so its last bits may differ
// (floating-point addition is not associative). The difference is rounding only.
TEST(Shards, ParameterGradientsDifferOnlyByRounding) {
  const std::vector<double> whole = hooked_gradient<double>(0);
  const std::vector<double> sharded = hooked_gradient<double>(kShardRows);
  ASSERT_EQ(whole.size(), sharded.size());
  double largest = 0;
  for (double value : whole)
    largest = std::max(largest, std::abs(value));
  for (std::size_t i = 0; i < whole.size(); ++i)
    EXPECT_NEAR(sharded[i], whole[i], 1e-13 * largest) << "parameter " << i;
}

// The hook sees the gradient before the optimizer does, and what it leaves is what is applied:
// doubling it is SGD at twice the rate (×2 is exact, so the bits are the same).
TEST(GradientHook, WhatItLeavesIsWhatTheOptimizerApplies) {
  const auto train = [](double lr, bool doubling_hook) {
    Sequential<double> model = network<double>();
    SoftmaxCrossEntropy<double> loss;
    Sgd<double> sgd(lr);
    TrainingOptions options;
    options.dropout_seed = kDropoutSeed;
    Trainer<double> trainer(model, loss, sgd, options);
    if (doubling_hook) trainer.set_gradient_hook([](VectorView<double> g) { g *= 2.0; });
    model.train(trainer.sample_random());
    const Batch<double> batch;
    for (int step = 0; step < 3; ++step)
      trainer.train_step(batch.features, batch.labels);
    return values_of(model.parameters());
  };
  EXPECT_EQ(train(0.05, /*doubling_hook=*/true), train(0.1, /*doubling_hook=*/false));
  EXPECT_NE(train(0.05, /*doubling_hook=*/true), train(0.05, /*doubling_hook=*/false));
}

// A hook that brings a NaN (another participant's) stops the step before the optimizer's.
TEST(GradientHook, ANonFiniteGradientFromTheHookStopsTheStep) {
  Sequential<double> model = network<double>();
  SoftmaxCrossEntropy<double> loss;
  Sgd<double> sgd(0.1);
  Trainer<double> trainer(model, loss, sgd, TrainingOptions{});
  trainer.set_gradient_hook(
      [](VectorView<double> g) { g[3] = std::numeric_limits<double>::quiet_NaN(); });
  const std::vector<double> before = values_of(model.parameters());
  const Batch<double> batch;
  EXPECT_THROW(trainer.train_step(batch.features, batch.labels), NonFiniteError);
  EXPECT_EQ(values_of(model.parameters()), before);
  EXPECT_EQ(sgd.steps(), 0);
}

TEST(Shards, NegativeShardRowsAreRefused) {
  Sequential<double> model = network<double>();
  SoftmaxCrossEntropy<double> loss;
  Sgd<double> sgd(0.1);
  TrainingOptions options;
  options.shard_rows = -1;
  EXPECT_THROW(Trainer<double>(model, loss, sgd, options), std::invalid_argument);
}

}  // namespace
}  // namespace scratchnet
