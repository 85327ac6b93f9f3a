// The optimizers: every configuration replayed, with gradient clipping and a learning-rate
// schedule, against PyTorch 1.13 (tests/fixtures/torch_optimizers.json, from
// tools/make_torch_optimizer_fixtures.py); then single steps by hand, invalid options, and the
// state a checkpoint saves and restores. Allocation-free steps: test_optimizer_allocations.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "fixtures.hpp"
#include "optimizer_configurations.hpp"
#include "scratchnet/optimizers/adam.hpp"
#include "scratchnet/optimizers/adamw.hpp"
#include "scratchnet/optimizers/clip_grad_norm.hpp"
#include "scratchnet/optimizers/lr_schedule.hpp"
#include "scratchnet/optimizers/rmsprop.hpp"
#include "scratchnet/optimizers/sgd.hpp"

namespace scratchnet {
namespace {

using testing::matrices_near;

template <typename T>
using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;

template <typename T>
VectorView<T> view(Vector<T>& vector) {
  return {vector.data(), vector.size()};
}

std::string describe(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

Vector<double> vector_from_json(const nlohmann::json& values) {
  Vector<double> vector(Index(values.size()));
  for (Index i = 0; i < vector.size(); ++i)
    vector(i) = values[std::size_t(i)].get<double>();
  return vector;
}

// ---- Against PyTorch: 20 steps of lr = schedule(t); grad = A·θ + b + sin(θ); clip; step.

LrSchedule schedule_from_json(const nlohmann::json& json) {
  const auto kind = json["kind"].get<std::string>();
  const auto base_lr = json["base_lr"].get<double>();
  LrSchedule schedule = LrSchedule::constant(base_lr);
  if (kind == "step") {
    schedule = LrSchedule::step(base_lr, json["step_size"].get<std::int64_t>(),
                                json["gamma"].get<double>());
  }
  if (kind == "cosine") {
    schedule = LrSchedule::cosine(base_lr, json["total_steps"].get<std::int64_t>(),
                                  json["min_lr"].get<double>());
  }
  return schedule.with_warmup(json["warmup_steps"].get<std::int64_t>());
}

// torch's keyword arguments over scratchnet's defaults: the fixture leaves torch's defaults out,
// so a case with no options also checks that the defaults agree.
template <typename T>
std::unique_ptr<Optimizer<T>> optimizer_from_json(const std::string& name,
                                                  const nlohmann::json& options, double lr) {
  const auto set = [&options](const char* key, auto& field) {
    if (options.contains(key)) field = options[key].get<std::remove_reference_t<decltype(field)>>();
  };
  if (name == "SGD") {
    SgdOptions sgd{.lr = lr};
    set("momentum", sgd.momentum);
    set("dampening", sgd.dampening);
    set("weight_decay", sgd.weight_decay);
    set("nesterov", sgd.nesterov);
    return std::make_unique<Sgd<T>>(sgd);
  }
  if (name == "RMSprop") {
    RmspropOptions rmsprop{.lr = lr};
    set("alpha", rmsprop.alpha);
    set("eps", rmsprop.eps);
    set("weight_decay", rmsprop.weight_decay);
    set("momentum", rmsprop.momentum);
    set("centered", rmsprop.centered);
    return std::make_unique<Rmsprop<T>>(rmsprop);
  }
  const auto adam_family = [&](auto adam) {
    adam.lr = lr;
    if (options.contains("betas")) {
      adam.beta1 = options["betas"][0].get<double>();
      adam.beta2 = options["betas"][1].get<double>();
    }
    set("eps", adam.eps);
    set("weight_decay", adam.weight_decay);
    return adam;
  };
  if (name == "Adam") return std::make_unique<Adam<T>>(adam_family(AdamOptions{}));
  if (name == "AdamW") return std::make_unique<AdamW<T>>(adam_family(AdamWOptions{}));
  ADD_FAILURE() << "unknown optimizer " << name;
  return nullptr;
}

struct Replay {
  Vector<double> final;
  std::vector<double> lrs, norms;
};

template <typename T>
Replay replay(const nlohmann::json& fixture, const nlohmann::json& expected) {
  const Matrix<T> a = testing::matrix_from_json(fixture["a"]).cast<T>();
  const Vector<T> b = vector_from_json(fixture["b"]).cast<T>();
  Vector<T> parameters = vector_from_json(fixture["initial"]).cast<T>();
  Vector<T> gradients(parameters.size());
  const LrSchedule schedule = schedule_from_json(expected["schedule"]);
  auto optimizer = optimizer_from_json<T>(expected["optimizer"].get<std::string>(),
                                          expected["options"], schedule.base_lr);
  const T max_norm = T(expected["max_norm"].get<double>());

  Replay replay;
  for (std::int64_t t = 0; t < fixture["steps"].get<std::int64_t>(); ++t) {
    replay.lrs.push_back(schedule.at(t));
    optimizer->set_learning_rate(replay.lrs.back());
    gradients = a * parameters + b;
    gradients.array() += parameters.array().sin();
    replay.norms.push_back(double(clip_grad_norm(view(gradients), max_norm)));
    optimizer->step(view(parameters), view(gradients));
  }
  replay.final = parameters.template cast<double>();
  return replay;
}

class OptimizerAgainstTorch : public ::testing::TestWithParam<std::size_t> {};

TEST_P(OptimizerAgainstTorch, SameWeightsAfter20Steps) {
  const nlohmann::json fixture = testing::load_fixture("torch_optimizers.json");
  const auto& expected = fixture["cases"].at(GetParam());
  const bool is_float = expected["dtype"] == "float32";
  SCOPED_TRACE(expected["name"].get<std::string>() + " in " + expected["dtype"].get<std::string>());

  const Replay run =
      is_float ? replay<float>(fixture, expected) : replay<double>(fixture, expected);

  const double tolerance = is_float ? 1e-5 : 1e-9;
  const Vector<double> want = vector_from_json(expected["final"]);
  EXPECT_TRUE(matrices_near(run.final, want, tolerance));
  RecordProperty("largest_difference", describe((run.final - want).cwiseAbs().maxCoeff()));
  for (std::size_t t = 0; t < run.lrs.size(); ++t) {
    EXPECT_DOUBLE_EQ(run.lrs[t], expected["lrs"][t].get<double>()) << "lr of step " << t;
    const double norm = expected["norms"][t];
    EXPECT_NEAR(run.norms[t], norm, (is_float ? 1e-6 : 1e-13) * norm) << "norm at step " << t;
  }
}

INSTANTIATE_TEST_SUITE_P(Torch, OptimizerAgainstTorch, ::testing::Range<std::size_t>(0, 16));

// The fixture is worth replaying: every configuration in both precisions, every schedule kind
// with and without warm-up, and clipping that acts on some steps but not on all.
TEST(OptimizerAgainstTorch, FixtureCoversEveryCase) {
  const nlohmann::json fixture = testing::load_fixture("torch_optimizers.json");
  ASSERT_EQ(fixture["cases"].size(), 16u);
  std::set<std::string> optimizers, schedules;
  for (const auto& expected : fixture["cases"]) {
    optimizers.insert(expected["optimizer"].get<std::string>());
    const auto& schedule = expected["schedule"];
    schedules.insert(schedule["kind"].get<std::string>() +
                     (schedule["warmup_steps"] > 0 ? "+warmup" : ""));
    int clipped = 0;
    for (const auto& norm : expected["norms"])
      clipped += norm > expected["max_norm"];
    EXPECT_GT(clipped, 0) << expected["name"];
    EXPECT_LT(clipped, 20) << expected["name"];
  }
  EXPECT_EQ(optimizers, (std::set<std::string>{"SGD", "Adam", "AdamW", "RMSprop"}));
  EXPECT_EQ(schedules, (std::set<std::string>{"constant", "constant+warmup", "step", "step+warmup",
                                              "cosine", "cosine+warmup"}));
}

// ---- Single steps by hand, one parameter, in double.

// Runs `optimizer` from θ = `start` with the gradient `gradient` on each of `steps` steps.
double steps_from(Optimizer<double>& optimizer, double start, double gradient, int steps = 1) {
  Vector<double> parameters = Vector<double>::Constant(1, start);
  Vector<double> gradients(1);
  for (int i = 0; i < steps; ++i) {
    gradients(0) = gradient;
    optimizer.step(view(parameters), view(gradients));
  }
  return parameters(0);
}

// b = g = 1, θ = 1 − 0.1 = 0.9; then b = 0.9·1 + (1 − 0.2)·1 = 1.7, θ = 0.9 − 0.1·1.7 = 0.73
TEST(Sgd, MomentumWithDampeningByHand) {
  Sgd<double> sgd(SgdOptions{.lr = 0.1, .momentum = 0.9, .dampening = 0.2});
  EXPECT_NEAR(steps_from(sgd, /*start=*/1, /*gradient=*/1, /*steps=*/2), 0.73, 1e-15);
  EXPECT_NEAR(sgd.state().at(0).values(0), 1.7, 1e-15);
}

// g = 0.5 + 0.1·1 = 0.6 = b; g = 0.6 + 0.9·0.6 = 1.14; θ = 1 − 0.1·1.14 = 0.886
TEST(Sgd, NesterovWithWeightDecayByHand) {
  Sgd<double> sgd(SgdOptions{.lr = 0.1, .momentum = 0.9, .weight_decay = 0.1, .nesterov = true});
  EXPECT_NEAR(steps_from(sgd, /*start=*/1, /*gradient=*/0.5), 0.886, 1e-15);
}

// Plain SGD is θ − lr·g bit for bit, as Stage 1's XOR fixtures need.
TEST(Sgd, PlainStepIsExact) {
  Sgd<double> sgd(/*learning_rate=*/0.3);
  EXPECT_EQ(steps_from(sgd, /*start=*/0.7, /*gradient=*/0.11), 0.7 - 0.3 * 0.11);
  EXPECT_TRUE(sgd.state().empty());
}

// A constant gradient g: m̂ = g and v̂ = g² on every step once bias-corrected, so each step moves
// θ by lr·g/(|g| + ε): three steps of 0.1·2/(2 + 1e-8). Wrong bias correction breaks this.
TEST(Adam, ConstantGradientStepsByLrByHand) {
  Adam<double> adam(AdamOptions{.lr = 0.1});
  EXPECT_NEAR(steps_from(adam, /*start=*/1, /*gradient=*/2, /*steps=*/3),
              1 - 3 * (0.1 * 2 / (2 + 1e-8)), 1e-14);
  EXPECT_EQ(adam.steps(), 3);
}

// m = 0.1·2 = 0.2, v = 0.001·4 = 0.004 after the first step.
TEST(Adam, FirstStepMomentsByHand) {
  Adam<double> adam;
  steps_from(adam, /*start=*/1, /*gradient=*/2);
  const auto state = adam.state();
  ASSERT_EQ(state.size(), 2u);
  EXPECT_NEAR(state[0].values(0), 0.2, 1e-16);
  EXPECT_NEAR(state[1].values(0), 0.004, 1e-17);
}

// L2: g = 2 + 0.5·1 = 2.5, so θ = 1 − 0.1·2.5/(2.5 + 1e-8).
TEST(Adam, WeightDecayAddsToTheGradientByHand) {
  Adam<double> adam(AdamOptions{.lr = 0.1, .weight_decay = 0.5});
  EXPECT_NEAR(steps_from(adam, /*start=*/1, /*gradient=*/2), 1 - 0.1 * 2.5 / (2.5 + 1e-8), 1e-15);
}

// Decoupled: θ = (1 − 0.1·0.5)·1 = 0.95, then Adam's step on g = 2 alone: 0.95 − 0.1·2/(2 + 1e-8).
TEST(AdamW, DecaysTheWeightsThenStepsByHand) {
  AdamW<double> adamw(AdamWOptions{.lr = 0.1, .weight_decay = 0.5});
  EXPECT_NEAR(steps_from(adamw, /*start=*/1, /*gradient=*/2), 0.95 - 0.1 * 2 / (2 + 1e-8), 1e-15);
  EXPECT_EQ(adamw.name(), "AdamW");
  EXPECT_EQ(AdamWOptions{}.weight_decay, 1e-2);  // torch's default, unlike Adam's 0
}

// s = 0.01·4 = 0.04, d = √0.04 + 1e-8 = 0.2 + 1e-8, θ = 1 − 0.01·2/d
TEST(Rmsprop, FirstStepByHand) {
  Rmsprop<double> rmsprop;
  EXPECT_NEAR(steps_from(rmsprop, /*start=*/1, /*gradient=*/2), 1 - 0.01 * 2 / (0.2 + 1e-8), 1e-15);
}

// a = 0.01·2 = 0.02, d = √(0.04 − 0.02²) + 1e-8 = √0.0396 + 1e-8
TEST(Rmsprop, CenteredByHand) {
  Rmsprop<double> rmsprop(RmspropOptions{.centered = true});
  EXPECT_NEAR(steps_from(rmsprop, /*start=*/1, /*gradient=*/2),
              1 - 0.01 * 2 / (std::sqrt(0.0396) + 1e-8), 1e-15);
}

// b = 2/d₁, θ = 1 − 0.01·b; then s = 0.99·0.04 + 0.04 = 0.0796, b = 0.5·b + 2/d₂, θ −= 0.01·b
TEST(Rmsprop, MomentumByHand) {
  Rmsprop<double> rmsprop(RmspropOptions{.momentum = 0.5});
  const double first = 2 / (0.2 + 1e-8);
  const double second = 0.5 * first + 2 / (std::sqrt(0.0796) + 1e-8);
  EXPECT_NEAR(steps_from(rmsprop, /*start=*/1, /*gradient=*/2, /*steps=*/2),
              1 - 0.01 * first - 0.01 * second, 1e-14);
}

TEST(Optimizer, NamesAsTorchOptimClasses) {
  const auto optimizers = testing::every_optimizer_configuration<double>();
  std::vector<std::string> names;
  for (const auto& optimizer : optimizers)
    names.push_back(optimizer->name());
  EXPECT_EQ(names, (std::vector<std::string>{"SGD", "SGD", "SGD", "Adam", "Adam", "AdamW",
                                             "RMSprop", "RMSprop"}));
}

TEST(Optimizer, DefaultsAreTorchs) {
  EXPECT_EQ(Adam<double>().learning_rate(), 1e-3);
  EXPECT_EQ(AdamW<double>().learning_rate(), 1e-3);
  EXPECT_EQ(Rmsprop<double>().learning_rate(), 1e-2);
  const AdamOptions adam;
  EXPECT_EQ(adam.beta1, 0.9);
  EXPECT_EQ(adam.beta2, 0.999);
  EXPECT_EQ(adam.eps, 1e-8);
  EXPECT_EQ(adam.weight_decay, 0);
  const RmspropOptions rmsprop;
  EXPECT_EQ(rmsprop.alpha, 0.99);
  EXPECT_EQ(rmsprop.eps, 1e-8);
}

// ---- Invalid options, as torch rejects them.

TEST(Optimizer, RejectsInvalidOptions) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_THROW(Sgd<double>(SgdOptions{}), std::invalid_argument);  // lr is required
  EXPECT_THROW(Sgd<double>(-0.1), std::invalid_argument);
  EXPECT_THROW(Sgd<double>{inf}, std::invalid_argument);
  EXPECT_THROW(Sgd<double>(SgdOptions{.lr = 0.1, .momentum = -0.9}), std::invalid_argument);
  EXPECT_THROW(Sgd<double>(SgdOptions{.lr = 0.1, .momentum = 0.9, .dampening = -1}),
               std::invalid_argument);
  EXPECT_THROW(Sgd<double>(SgdOptions{.lr = 0.1, .weight_decay = -1}), std::invalid_argument);
  EXPECT_THROW(Sgd<double>(SgdOptions{.lr = 0.1, .nesterov = true}), std::invalid_argument);
  EXPECT_THROW(
      Sgd<double>(SgdOptions{.lr = 0.1, .momentum = 0.9, .dampening = 0.1, .nesterov = true}),
      std::invalid_argument);
  EXPECT_THROW(Adam<double>(AdamOptions{.lr = -1}), std::invalid_argument);
  EXPECT_THROW(Adam<double>(AdamOptions{.beta1 = 1}), std::invalid_argument);
  EXPECT_THROW(Adam<double>(AdamOptions{.beta2 = -0.1}), std::invalid_argument);
  EXPECT_THROW(Adam<double>(AdamOptions{.eps = -1e-8}), std::invalid_argument);
  EXPECT_THROW(Adam<double>(AdamOptions{.weight_decay = nan}), std::invalid_argument);
  EXPECT_THROW(AdamW<double>(AdamWOptions{.beta1 = 1.5}), std::invalid_argument);
  EXPECT_THROW(AdamW<double>(AdamWOptions{.weight_decay = -1e-2}), std::invalid_argument);
  EXPECT_THROW(Rmsprop<double>(RmspropOptions{.alpha = -0.99}), std::invalid_argument);
  EXPECT_THROW(Rmsprop<double>(RmspropOptions{.eps = -1}), std::invalid_argument);
  EXPECT_THROW(Rmsprop<double>(RmspropOptions{.weight_decay = -1}), std::invalid_argument);
  EXPECT_THROW(Rmsprop<double>(RmspropOptions{.momentum = -1}), std::invalid_argument);

  Adam<double> adam;
  EXPECT_THROW(adam.set_learning_rate(-1e-3), std::invalid_argument);
  EXPECT_THROW(adam.set_learning_rate(nan), std::invalid_argument);
  EXPECT_THROW(adam.set_steps(-1), std::invalid_argument);
  EXPECT_EQ(adam.learning_rate(), 1e-3);
}

TEST(Optimizer, RejectsMismatchedOrChangingLengths) {
  for (const auto& optimizer : testing::every_optimizer_configuration<double>()) {
    SCOPED_TRACE(optimizer->name());
    Vector<double> parameters = Vector<double>::Ones(3), gradients = Vector<double>::Ones(2);
    EXPECT_THROW(optimizer->step(view(parameters), view(gradients)), std::invalid_argument);
    gradients = Vector<double>::Ones(3);
    optimizer->step(view(parameters), view(gradients));
    Vector<double> more = Vector<double>::Ones(4), more_gradients = Vector<double>::Ones(4);
    EXPECT_THROW(optimizer->step(view(more), view(more_gradients)), std::invalid_argument);
    EXPECT_EQ(optimizer->steps(), 1);
  }
}

// ---- State: named buffers, and a checkpoint round trip through them.

TEST(Optimizer, StateNamesTorchsBuffers) {
  const std::vector<std::vector<std::string>> expected = {
      {},
      {"momentum_buffer"},
      {"momentum_buffer"},
      {"exp_avg", "exp_avg_sq"},
      {"exp_avg", "exp_avg_sq"},
      {"exp_avg", "exp_avg_sq"},
      {"square_avg"},
      {"square_avg", "momentum_buffer", "grad_avg"}};
  auto optimizers = testing::every_optimizer_configuration<float>();
  ASSERT_EQ(optimizers.size(), expected.size());
  for (std::size_t i = 0; i < optimizers.size(); ++i) {
    Optimizer<float>& optimizer = *optimizers[i];
    SCOPED_TRACE(optimizer.name() + " configuration " + std::to_string(i));
    EXPECT_TRUE(optimizer.state().empty());  // nothing allocated before the first step
    Vector<float> parameters = Vector<float>::Ones(5), gradients = Vector<float>::Ones(5);
    optimizer.step(view(parameters), view(gradients));
    std::vector<std::string> names;
    for (const auto& buffer : optimizer.state()) {
      names.push_back(buffer.name);
      EXPECT_EQ(buffer.values.size(), 5);
      EXPECT_NE(buffer.values.norm(), 0.0f);  // every buffer holds something after a step
    }
    EXPECT_EQ(names, expected[i]);
  }
}

// Three steps, then a fresh optimizer restored from the state, step count and learning rate:
// both take the same fourth step, bit for bit.
template <typename T>
void check_checkpoint_round_trip() {
  auto originals = testing::every_optimizer_configuration<T>();
  auto restoreds = testing::every_optimizer_configuration<T>();
  for (std::size_t i = 0; i < originals.size(); ++i) {
    Optimizer<T>& original = *originals[i];
    Optimizer<T>& restored = *restoreds[i];
    SCOPED_TRACE(original.name() + " configuration " + std::to_string(i));
    Vector<T> parameters = Vector<T>::LinSpaced(6, -1, 1);
    for (int step = 0; step < 3; ++step) {
      Vector<T> gradients = parameters.array().cos() + T(step);
      original.set_learning_rate(0.1 / (step + 1));
      original.step(view(parameters), view(gradients));
    }
    restored.allocate_state(parameters.size());
    auto saved = original.state();
    auto loaded = restored.state();
    ASSERT_EQ(saved.size(), loaded.size());
    for (std::size_t k = 0; k < saved.size(); ++k)
      loaded[k].values = saved[k].values;
    restored.set_steps(original.steps());
    restored.set_learning_rate(original.learning_rate());

    Vector<T> resumed = parameters;
    Vector<T> gradients = parameters.array().sin(), same_gradients = gradients;
    original.step(view(parameters), view(gradients));
    restored.step(view(resumed), view(same_gradients));
    EXPECT_EQ(resumed, parameters);
  }
}

TEST(Optimizer, CheckpointRoundTripIsBitExact) {
  check_checkpoint_round_trip<double>();
  check_checkpoint_round_trip<float>();
}

TEST(Optimizer, AllocateStateRejectsAnotherSize) {
  Adam<double> adam;
  adam.allocate_state(4);
  adam.allocate_state(4);
  EXPECT_THROW(adam.allocate_state(5), std::invalid_argument);
  EXPECT_EQ(adam.state().at(1).values.size(), 4);
}

// step() updates fixed slices of the flat buffers, in parallel on a pool. The bits do not depend
// on the pool, and each element keeps its own state: a long vector stepped on three threads ends
// where each element stepped alone does (to rounding: Eigen computes a vector's body and its
// tail differently), for every configuration.
TEST(Optimizer, SlicesOnThreadsUpdateEachElementAsAlone) {
  constexpr Index kSize = 40000;  // several slices
  const std::vector<Index> probes = {0, 1, 16383, 16384, 20000, 32768, kSize - 1};
  auto threaded = testing::every_optimizer_configuration<float>();
  auto serial = testing::every_optimizer_configuration<float>();
  kernels::ThreadPool pool(3);
  for (std::size_t c = 0; c < threaded.size(); ++c) {
    threaded[c]->use_threads(&pool);
    std::vector<float> parameters(kSize), gradients(kSize);
    for (Index i = 0; i < kSize; ++i)
      parameters[std::size_t(i)] = std::sin(float(i));
    std::vector<float> serial_parameters = parameters;
    std::vector<std::unique_ptr<Optimizer<float>>> alone;
    std::vector<float> alone_parameters;
    for (Index probe : probes) {
      alone.push_back(std::move(testing::every_optimizer_configuration<float>()[c]));
      alone_parameters.push_back(parameters[std::size_t(probe)]);
    }
    for (int step = 1; step <= 3; ++step) {
      for (Index i = 0; i < kSize; ++i)
        gradients[std::size_t(i)] = std::cos(float(i * step));
      threaded[c]->step(VectorView<float>(parameters.data(), kSize),
                        VectorView<float>(gradients.data(), kSize));
      serial[c]->step(VectorView<float>(serial_parameters.data(), kSize),
                      VectorView<float>(gradients.data(), kSize));
      for (std::size_t p = 0; p < probes.size(); ++p) {
        float gradient = gradients[std::size_t(probes[p])];
        alone[p]->step(VectorView<float>(&alone_parameters[p], 1), VectorView<float>(&gradient, 1));
      }
    }
    EXPECT_EQ(parameters, serial_parameters) << threaded[c]->name() << " configuration " << c;
    for (std::size_t p = 0; p < probes.size(); ++p) {
      EXPECT_NEAR(parameters[std::size_t(probes[p])], alone_parameters[p], 1e-6)
          << threaded[c]->name() << " configuration " << c << ", element " << probes[p];
    }
  }
}

}  // namespace
}  // namespace scratchnet
