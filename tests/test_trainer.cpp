// The training loop against whole PyTorch training runs (tests/fixtures/torch_training.json,
// from tools/make_torch_training_fixtures.py), plus early stopping, callbacks and determinism.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>

#include "fixtures.hpp"
#include "named_tensors.hpp"
#include "scratchnet/init/initializer.hpp"
#include "scratchnet/losses/binary_cross_entropy_with_logits.hpp"
#include "scratchnet/losses/mean_squared_error.hpp"
#include "scratchnet/losses/softmax_cross_entropy.hpp"
#include "scratchnet/losses/sum_squared_error.hpp"
#include "scratchnet/model/layer_spec.hpp"
#include "scratchnet/optimizers/adam.hpp"
#include "scratchnet/optimizers/adamw.hpp"
#include "scratchnet/optimizers/rmsprop.hpp"
#include "scratchnet/optimizers/sgd.hpp"
#include "scratchnet/training/trainer.hpp"
#include "torch_pass.hpp"

namespace scratchnet {
namespace {

using nlohmann::json;

std::unique_ptr<Optimizer<double>> optimizer_named(const std::string& name, const json& options) {
  const auto option = [&](const char* key, double fallback) {
    return options.contains(key) ? options[key].get<double>() : fallback;
  };
  if (name == "SGD") {
    SgdOptions sgd;
    sgd.lr = option("lr", 0);
    sgd.momentum = option("momentum", 0);
    sgd.weight_decay = option("weight_decay", 0);
    sgd.nesterov = options.value("nesterov", false);
    return std::make_unique<Sgd<double>>(sgd);
  }
  if (name == "Adam") return std::make_unique<Adam<double>>(AdamOptions{.lr = option("lr", 1e-3)});
  if (name == "AdamW") {
    return std::make_unique<AdamW<double>>(
        AdamWOptions{.lr = option("lr", 1e-3), .weight_decay = option("weight_decay", 1e-2)});
  }
  RmspropOptions rmsprop;
  rmsprop.lr = option("lr", 1e-2);
  rmsprop.momentum = option("momentum", 0);
  rmsprop.centered = options.value("centered", false);
  return std::make_unique<Rmsprop<double>>(rmsprop);
}

std::optional<LrSchedule> schedule_from(const json& fixture_case) {
  if (!fixture_case.contains("schedule")) return std::nullopt;
  const json& s = fixture_case["schedule"];
  LrSchedule schedule = s["kind"] == "step"
                            ? LrSchedule::step(s["base_lr"], s["step_size"], s["gamma"])
                            : LrSchedule::cosine(s["base_lr"], s["total_steps"], s["min_lr"]);
  return schedule.with_warmup(s.value("warmup_steps", 0));
}

// A case's sample shape: an image's for a convolutional network, else its features.
Shape shape_of(const json& fixture_case) {
  if (fixture_case.contains("input_shape"))
    return Shape(fixture_case["input_shape"].get<std::vector<Index>>());
  return Shape(fixture_case["inputs"].get<Index>());
}

class TrainerAgainstTorch : public ::testing::TestWithParam<std::size_t> {};

TEST_P(TrainerAgainstTorch, SameWeightsAndEpochMetrics) {
  const json fixture = testing::load_fixture("torch_training.json");
  const json& expected = fixture["cases"].at(GetParam());
  SCOPED_TRACE(expected["name"].get<std::string>());

  Sequential<double> model = build_model<double>(
      parse_layer_spec(expected["spec"].get<std::string>()), shape_of(expected));
  ASSERT_TRUE(testing::load_named_state(model, expected["initial"]));
  const InMemoryDataset<double> data(testing::matrix_from_json(expected["input"]),
                                     testing::matrix_from_json(expected["target"]));
  auto loss = testing::torch_loss<double>(expected["loss"]);
  auto optimizer = optimizer_named(expected["optimizer"], expected["options"]);
  TrainingOptions options;
  options.batch_size = expected["batch"];
  options.epochs = expected["epochs"];
  options.shuffle = expected["shuffle"];
  options.clip_norm = expected.value("clip_norm", 0.0);
  options.schedule = schedule_from(expected);
  Trainer<double> trainer(model, *loss, *optimizer, options);
  Random random(expected["seed"].get<std::uint32_t>());  // np.random.seed(seed)

  const TrainingResult result = trainer.fit(data, nullptr, random);

  // torch's final state, BatchNorm's running statistics and count of batches included.
  Sequential<double> torch_model = build_model<double>(
      parse_layer_spec(expected["spec"].get<std::string>()), shape_of(expected));
  ASSERT_TRUE(testing::load_named_state(torch_model, expected["final"]));
  for (const NamedParameter& parameter : model.named_parameters()) {
    EXPECT_TRUE(testing::matrices_near(testing::named_tensor(model.parameters(), parameter),
                                       testing::named_tensor(torch_model.parameters(), parameter),
                                       1e-10))
        << parameter.name;
  }
  for (const NamedParameter& buffer : testing::floating_buffers(model)) {
    EXPECT_TRUE(testing::matrices_near(testing::named_tensor(model.buffers(), buffer),
                                       testing::named_tensor(torch_model.buffers(), buffer), 1e-10))
        << buffer.name;
  }
  EXPECT_TRUE(std::ranges::equal(model.integer_buffers(), torch_model.integer_buffers()));
  ASSERT_EQ(result.epochs.size(), expected["epoch_metrics"].size());
  for (std::size_t e = 0; e < result.epochs.size(); ++e) {
    const json& torch_epoch = expected["epoch_metrics"][e];
    EXPECT_EQ(result.epochs[e].epoch, int(e) + 1);
    EXPECT_NEAR(result.epochs[e].loss, torch_epoch["loss"].get<double>(), 1e-10);
    if (torch_epoch["accuracy"].is_null()) {
      EXPECT_TRUE(std::isnan(result.epochs[e].accuracy));
    } else {
      EXPECT_DOUBLE_EQ(result.epochs[e].accuracy, torch_epoch["accuracy"].get<double>());
    }
    EXPECT_TRUE(std::isnan(result.epochs[e].val_loss));
    EXPECT_GT(result.epochs[e].samples_per_second, 0);
  }
}

INSTANTIATE_TEST_SUITE_P(WholeRuns, TrainerAgainstTorch, ::testing::Range<std::size_t>(0, 6));

// The convolutional runs again in float: every parameter within 1e-4 of torch's float64 run,
// relative to the tensor's largest value.
TEST(TrainerAgainstTorch, ConvolutionalRunsInFloat) {
  const json fixture = testing::load_fixture("torch_training.json");
  int runs = 0;
  for (const json& expected : fixture["cases"]) {
    if (!expected.contains("input_shape")) continue;
    SCOPED_TRACE(expected["name"].get<std::string>());
    ++runs;
    Sequential<double> reference = build_model<double>(
        parse_layer_spec(expected["spec"].get<std::string>()), shape_of(expected));
    ASSERT_TRUE(testing::load_named_state(reference, expected["initial"]));
    Sequential<float> model = build_model<float>(
        parse_layer_spec(expected["spec"].get<std::string>()), shape_of(expected));
    model.parameters() = reference.parameters().cast<float>();
    model.buffers() = reference.buffers().cast<float>();
    const InMemoryDataset<float> data(testing::matrix_from_json(expected["input"]).cast<float>(),
                                      testing::matrix_from_json(expected["target"]).cast<float>());
    auto loss = testing::torch_loss<float>(expected["loss"]);
    std::unique_ptr<Optimizer<float>> optimizer;
    if (expected["optimizer"] == "SGD") {
      optimizer = std::make_unique<Sgd<float>>(
          SgdOptions{.lr = expected["options"]["lr"], .momentum = expected["options"]["momentum"]});
    } else {
      optimizer = std::make_unique<Adam<float>>(AdamOptions{.lr = expected["options"]["lr"]});
    }
    TrainingOptions options;
    options.batch_size = expected["batch"];
    options.epochs = expected["epochs"];
    Trainer<float> trainer(model, *loss, *optimizer, options);
    Random random(expected["seed"].get<std::uint32_t>());
    trainer.fit(data, nullptr, random);

    ASSERT_TRUE(testing::load_named_state(reference, expected["final"]));
    for (const NamedParameter& parameter : reference.named_parameters()) {
      const Matrix<double> ours =
          testing::named_tensor(Eigen::VectorXd(model.parameters().cast<double>()), parameter);
      const Matrix<double> torch = testing::named_tensor(reference.parameters(), parameter);
      EXPECT_TRUE(testing::matrices_near(ours, torch, 1e-4 * torch.cwiseAbs().maxCoeff()))
          << parameter.name;
    }
  }
  EXPECT_EQ(runs, 2);
}

// A small classification problem: the class is which of 3 features is largest.
InMemoryDataset<double> argmax_problem(Index rows, std::uint32_t seed, bool flip = false) {
  Random random(seed);
  Matrix<double> features(rows, 3), labels(rows, 1);
  for (Index i = 0; i < rows; ++i) {
    for (Index j = 0; j < 3; ++j)
      features(i, j) = random.normal();
    Index label = 0;
    features.row(i).maxCoeff(&label);
    labels(i, 0) = double(flip ? (label + 1) % 3 : label);
  }
  return {std::move(features), std::move(labels)};
}

Sequential<double> small_classifier(std::uint32_t seed, const std::string& spec = "16:relu,3") {
  Sequential<double> model = build_model<double>(parse_layer_spec(spec), 3);
  Random random(seed);
  initialize(model, Initializer::torch_default, random);
  return model;
}

TEST(Trainer, LearnsAndReportsValidation) {
  const auto training = argmax_problem(300, 1), validation = argmax_problem(100, 2);
  auto model = small_classifier(3);
  SoftmaxCrossEntropy<double> loss;
  Adam<double> adam(AdamOptions{.lr = 0.01});
  Trainer<double> trainer(model, loss, adam, {.batch_size = 32, .epochs = 15});
  Random random(/*seed=*/4);
  const TrainingResult result = trainer.fit(training, &validation, random);
  ASSERT_EQ(result.epochs.size(), 15u);
  EXPECT_LT(result.epochs.back().loss, result.epochs.front().loss);
  EXPECT_GT(result.epochs.back().val_accuracy, 0.9);
  const Evaluation evaluation = trainer.evaluate(validation);
  EXPECT_DOUBLE_EQ(evaluation.loss, result.epochs.back().val_loss);
  EXPECT_EQ(evaluation.confusion->total(), 100);
  EXPECT_DOUBLE_EQ(evaluation.accuracy(), result.epochs.back().val_accuracy);
}

// Rows whose outputs are NaN are counted and the first is named, so that no caller reports the
// argmax of NaN as a prediction; finite rows are not counted.
TEST(Evaluate, CountsRowsWhoseOutputsAreNotFinite) {
  auto model = small_classifier(3);
  SoftmaxCrossEntropy<double> loss;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  Matrix<double> features(5, 3), labels = Matrix<double>::Zero(5, 1);
  features << 1, 2, 3,  //
      nan, 0, 0,        //
      0.5, 0.5, 0.5,    //
      1, nan, 1,        //
      3, 2, 1;
  const InMemoryDataset<double> data(std::move(features), std::move(labels));
  const Evaluation evaluation = evaluate(model, loss, data, /*batch_size=*/2);
  EXPECT_EQ(evaluation.non_finite_rows, 2);
  EXPECT_EQ(evaluation.first_non_finite_row, Index{1});
  const Evaluation finite = evaluate(model, loss, argmax_problem(20, 5), 8);
  EXPECT_EQ(finite.non_finite_rows, 0);
  EXPECT_FALSE(finite.first_non_finite_row);
}

// Validation labels that contradict the training labels: validation loss rises as training
// succeeds, so patience 2 stops two epochs after the best and restores its weights, and its
// BatchNorm's running statistics with them.
TEST(Trainer, EarlyStoppingRestoresTheBestEpoch) {
  const auto training = argmax_problem(300, 1), validation = argmax_problem(100, 2, true);
  auto model = small_classifier(3, "16,batchnorm,relu,3");
  ASSERT_EQ(model.buffers().size(), 32);  // running mean and variance
  SoftmaxCrossEntropy<double> loss;
  Adam<double> adam(AdamOptions{.lr = 0.01});
  Trainer<double> trainer(model, loss, adam, {.batch_size = 32, .epochs = 30, .patience = 2});
  std::vector<Eigen::VectorXd> weights_after_epoch, statistics_after_epoch;
  TrainingCallbacks callbacks;
  callbacks.on_epoch = [&](const EpochMetrics&) {
    weights_after_epoch.push_back(model.parameters());
    statistics_after_epoch.push_back(model.buffers());
    return true;
  };
  Random random(/*seed=*/4);
  const TrainingResult result = trainer.fit(training, &validation, random, callbacks);

  ASSERT_TRUE(result.stopped_early);
  ASSERT_GE(result.best_epoch, 1);
  EXPECT_EQ(int(result.epochs.size()), result.best_epoch + 2);
  for (const EpochMetrics& epoch : result.epochs) {
    EXPECT_GE(epoch.val_loss, result.epochs[result.best_epoch - 1].val_loss);
  }
  EXPECT_EQ(Eigen::VectorXd(model.parameters()), weights_after_epoch[result.best_epoch - 1]);
  EXPECT_EQ(Eigen::VectorXd(model.buffers()), statistics_after_epoch[result.best_epoch - 1]);
  EXPECT_NE(statistics_after_epoch[result.best_epoch - 1], statistics_after_epoch.back());
}

// A run stopped one epoch after its best and resumed with early stopping's memory stops and
// restores as the run never stopped does; resumed without it, it would count the next epoch as
// a new best and go on.
TEST(Trainer, EarlyStoppingGoesOnAcrossAResume) {
  const auto training = argmax_problem(300, 1), validation = argmax_problem(100, 2, true);
  const TrainingOptions options{.batch_size = 32, .epochs = 30, .patience = 2};

  auto whole_model = small_classifier(3);
  SoftmaxCrossEntropy<double> loss;
  Adam<double> whole_adam(AdamOptions{.lr = 0.01});
  Random whole_random(/*seed=*/4);
  const TrainingResult whole = Trainer<double>(whole_model, loss, whole_adam, options)
                                   .fit(training, &validation, whole_random);
  ASSERT_TRUE(whole.stopped_early);
  const int stop_after = whole.best_epoch + 1;  // one epoch without improvement

  const auto resumed_run = [&](bool with_memory) {
    auto model = small_classifier(3);
    Adam<double> adam(AdamOptions{.lr = 0.01});
    Random random(/*seed=*/4);
    TrainingOptions first_part = options;
    first_part.epochs = stop_after;
    Trainer<double> before(model, loss, adam, first_part);
    EXPECT_FALSE(before.fit(training, &validation, random).stopped_early);
    EXPECT_EQ(before.best_epoch().epoch, whole.best_epoch);
    EXPECT_EQ(before.best_epoch().epochs_since, 1);

    TrainingOptions second_part = options;
    second_part.first_epoch = stop_after + 1;
    Trainer<double> after(model, loss, adam, second_part);
    if (with_memory) after.resume_early_stopping(before.best_epoch(), before.best_weights());
    const TrainingResult result = after.fit(training, &validation, random);
    return std::pair(result, Eigen::VectorXd(model.parameters()));
  };
  const auto [result, weights] = resumed_run(/*with_memory=*/true);
  EXPECT_TRUE(result.stopped_early);
  EXPECT_EQ(result.best_epoch, whole.best_epoch);
  EXPECT_EQ(result.epochs.back().epoch, whole.epochs.back().epoch);
  EXPECT_EQ(weights, Eigen::VectorXd(whole_model.parameters()));  // bit for bit

  const auto [forgetful, forgetful_weights] = resumed_run(/*with_memory=*/false);
  EXPECT_NE(forgetful_weights, Eigen::VectorXd(whole_model.parameters()));
}

TEST(Trainer, CallbacksSeeEveryBatchAndCanStop) {
  const auto training = argmax_problem(70, 1);  // batches of 32: 32, 32, 6
  auto model = small_classifier(3);
  SoftmaxCrossEntropy<double> loss;
  Sgd<double> sgd(/*learning_rate=*/0.1);
  Trainer<double> trainer(model, loss, sgd, {.batch_size = 32, .epochs = 5});
  std::vector<BatchProgress> progress;
  TrainingCallbacks callbacks;
  callbacks.on_batch = [&](const BatchProgress& p) { progress.push_back(p); };
  callbacks.on_epoch = [](const EpochMetrics& metrics) { return metrics.epoch < 2; };
  Random random(/*seed=*/5);
  const TrainingResult result = trainer.fit(training, nullptr, random, callbacks);
  EXPECT_EQ(result.epochs.size(), 2u);
  EXPECT_FALSE(result.stopped_early);
  ASSERT_EQ(progress.size(), 6u);
  EXPECT_EQ(progress[2].batch, 3);
  EXPECT_EQ(progress[2].batches, 3);
  EXPECT_EQ(progress[3].epoch, 2);
  EXPECT_NEAR(progress[2].loss, result.epochs[0].loss, 1e-12);  // the epoch's running mean
  EXPECT_EQ(sgd.steps(), 6);
}

TEST(Trainer, SameSeedBitIdenticalOtherSeedNot) {
  const auto training = argmax_problem(100, 1);
  const auto train_with = [&](std::uint32_t seed) {
    auto model = small_classifier(3);
    SoftmaxCrossEntropy<double> loss;
    Adam<double> adam;
    Trainer<double> trainer(model, loss, adam, {.batch_size = 16, .epochs = 3});
    Random random(seed);
    trainer.fit(training, nullptr, random);
    return Eigen::VectorXd(model.parameters());
  };
  EXPECT_EQ(train_with(9), train_with(9));
  EXPECT_NE(train_with(9), train_with(10));
}

// Threads change who computes each block of a product, never what: the weights are the same
// bits on 1, 2 or 3 threads.
TEST(Trainer, SameBitsOnAnyThreadCount) {
  const auto training = argmax_problem(300, 1);
  const auto train_on = [&](int threads) {
    Sequential<double> model = build_model<double>(parse_layer_spec("80:relu,70:tanh,3"), 3);
    Random random(/*seed=*/2);
    initialize(model, Initializer::torch_default, random);
    kernels::ThreadPool pool(threads);
    model.use_threads(&pool);
    SoftmaxCrossEntropy<double> loss;
    Adam<double> adam;
    Trainer<double> trainer(model, loss, adam, {.batch_size = 100, .epochs = 2});
    trainer.fit(training, nullptr, random);
    model.use_threads(nullptr);
    return Eigen::VectorXd(model.parameters());
  };
  const Eigen::VectorXd one = train_on(1);
  EXPECT_EQ(train_on(2), one);
  EXPECT_EQ(train_on(3), one);
}

TEST(Trainer, ContinuesFromALaterEpoch) {
  const auto training = argmax_problem(50, 1);
  auto model = small_classifier(3);
  SoftmaxCrossEntropy<double> loss;
  Sgd<double> sgd(/*learning_rate=*/0.1);
  Trainer<double> trainer(model, loss, sgd, {.batch_size = 25, .epochs = 4, .first_epoch = 3});
  Random random(/*seed=*/1);
  const TrainingResult result = trainer.fit(training, nullptr, random);
  ASSERT_EQ(result.epochs.size(), 2u);
  EXPECT_EQ(result.epochs[0].epoch, 3);
  EXPECT_EQ(result.epochs[1].epoch, 4);
}

// A stop inside an epoch reports where it stood; going on from there (with the same model and
// optimizer, as a checkpoint restores them) ends with the same bits as one run, Dropout's draws
// and the epoch's metrics included.
TEST(Trainer, GoesOnFromInsideAnEpochBitForBit) {
  const auto training = argmax_problem(70, 1);  // batches of 8: 9 per epoch
  const auto classifier = [] {
    Sequential<double> model = build_model<double>(parse_layer_spec("16:relu,dropout:0.3,3"), 3);
    Random random(/*seed=*/6);
    initialize(model, Initializer::torch_default, random);
    return model;
  };
  SoftmaxCrossEntropy<double> loss;
  const TrainingOptions options{.batch_size = 8, .epochs = 3};

  auto straight_model = classifier();
  Adam<double> straight_adam;
  Random straight_random(/*seed=*/7);
  const TrainingResult straight = Trainer<double>(straight_model, loss, straight_adam, options)
                                      .fit(training, nullptr, straight_random);

  auto model = classifier();
  Adam<double> adam;
  Random random(/*seed=*/7);
  int batches_seen = 0;
  TrainingCallbacks stop_after_12;
  stop_after_12.on_batch = [&](const BatchProgress&) { ++batches_seen; };
  stop_after_12.stop_requested = [&] { return batches_seen == 12; };
  const TrainingResult first =
      Trainer<double>(model, loss, adam, options).fit(training, nullptr, random, stop_after_12);
  ASSERT_TRUE(first.interrupted.has_value());
  EXPECT_TRUE(first.stopped_by_request);
  EXPECT_EQ(first.interrupted->epoch, 2);
  EXPECT_EQ(first.interrupted->batches_done, 3);
  EXPECT_EQ(first.epochs.size(), 1u);

  TrainingOptions go_on = options;
  go_on.first_epoch = 2;
  go_on.resume_from = first.interrupted;
  Random any_random(/*seed=*/123);  // fit restores the states it needs
  const TrainingResult rest =
      Trainer<double>(model, loss, adam, go_on).fit(training, nullptr, any_random);
  EXPECT_EQ(Eigen::VectorXd(model.parameters()), Eigen::VectorXd(straight_model.parameters()));
  ASSERT_EQ(rest.epochs.size(), 2u);
  EXPECT_EQ(rest.epochs[0].loss, straight.epochs[1].loss);
  EXPECT_EQ(rest.epochs[0].accuracy, straight.epochs[1].accuracy);
  EXPECT_EQ(any_random, straight_random);
}

// A stop asked for at an epoch's last batch lets the epoch end (its on_epoch included), then
// stops with nothing to go on from inside an epoch.
TEST(Trainer, AStopAtAnEpochsEndFinishesThatEpoch) {
  const auto training = argmax_problem(70, 1);
  auto model = small_classifier(3);
  SoftmaxCrossEntropy<double> loss;
  Sgd<double> sgd(/*learning_rate=*/0.1);
  int epochs_ended = 0;
  TrainingCallbacks callbacks;
  callbacks.on_epoch = [&](const EpochMetrics&) { return ++epochs_ended > 0; };
  callbacks.stop_requested = [&] { return sgd.steps() >= 9; };  // 9 batches per epoch
  Random random(/*seed=*/5);
  const TrainingResult result = Trainer<double>(model, loss, sgd, {.batch_size = 8, .epochs = 3})
                                    .fit(training, nullptr, random, callbacks);
  EXPECT_EQ(epochs_ended, 1);
  EXPECT_TRUE(result.stopped_by_request);
  EXPECT_FALSE(result.interrupted.has_value());
}

TEST(Trainer, RejectsBadOptions) {
  auto model = small_classifier(3);
  SoftmaxCrossEntropy<double> loss;
  Sgd<double> sgd(/*learning_rate=*/0.1);
  EXPECT_THROW(Trainer<double>(model, loss, sgd, {.batch_size = 0}), std::invalid_argument);
  EXPECT_THROW(Trainer<double>(model, loss, sgd, {.epochs = 0}), std::invalid_argument);
  EXPECT_THROW(Trainer<double>(model, loss, sgd, {.patience = -1}), std::invalid_argument);
  EXPECT_THROW(Trainer<double>(model, loss, sgd, {.clip_norm = -1}), std::invalid_argument);
  EpochProgress inside_epoch_2;
  inside_epoch_2.epoch = 2;
  inside_epoch_2.batches_done = 1;
  EXPECT_THROW(Trainer<double>(model, loss, sgd, {.resume_from = inside_epoch_2}),
               std::invalid_argument);  // not first_epoch
  Trainer<double> trainer(model, loss, sgd, {});
  Random random(/*seed=*/1);
  const InMemoryDataset<double> empty(Matrix<double>(0, 3), Matrix<double>(0, 1));
  EXPECT_THROW(trainer.fit(empty, nullptr, random), std::invalid_argument);
}

}  // namespace
}  // namespace scratchnet
