// The library's training settings and what they name: the default learning rates (one table,
// which make_optimizer and the help text both read), the per-epoch history as a checkpoint
// keeps it, and the settings a resumed run goes on with.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "scratchnet/io/safetensors.hpp"
#include "scratchnet/training/default_learning_rates.hpp"
#include "scratchnet/training/factories.hpp"
#include "scratchnet/training/history.hpp"
#include "scratchnet/training/resumable.hpp"
#include "scratchnet/training/setting_error.hpp"
#include "scratchnet/training/settings.hpp"

namespace scratchnet::training {
namespace {

TEST(DefaultLearningRates, AreWhatEachOptimizerTrainsWithWhenNoneIsGiven) {
  // PyTorch's default for RMSprop; SGD has none there, 0.01 is ours; Adam's and AdamW's are
  // 3e-3, not PyTorch's 1e-3, for the cosine decay that is the default schedule.
  const std::pair<const char*, double> expected[] = {
      {"sgd", 0.01}, {"adam", 0.003}, {"adamw", 0.003}, {"rmsprop", 0.01}};
  for (const auto& [optimizer, rate] : expected) {
    TrainSettings settings;
    settings.optimizer = optimizer;
    EXPECT_EQ(default_learning_rate(optimizer), rate) << optimizer;
    EXPECT_EQ(make_optimizer<float>(settings)->learning_rate(), rate) << optimizer;
    settings.lr = 0.25;
    EXPECT_EQ(make_optimizer<double>(settings)->learning_rate(), 0.25) << optimizer;
  }
  EXPECT_EQ(default_learning_rates_text(), "sgd 0.01, adam 3e-3, adamw 3e-3, rmsprop 1e-2");
  EXPECT_THROW(default_learning_rate("lbfgs"), std::invalid_argument);
  TrainSettings unknown;
  unknown.optimizer = "lbfgs";
  unknown.lr = 0.1;
  EXPECT_THROW(make_optimizer<float>(unknown), std::invalid_argument);
}

TEST(History, ReadsBackWhatItWrites) {
  EpochMetrics first{1, 0.5, 0.75, 0.625, 0.5, 2.0, 1000.0, 0.1};
  EpochMetrics second{2,    0.25, std::numeric_limits<double>::quiet_NaN(), 0.125, 0.875, 1.5,
                      99.5, 0.1};
  const std::string text = history_json({first, second}).dump();
  const std::vector<EpochMetrics> read = history_from_json(text, 2, "ck.safetensors");
  ASSERT_EQ(read.size(), 2u);
  EXPECT_EQ(read[0].epoch, 1);
  EXPECT_EQ(read[0].val_loss, 0.625);
  EXPECT_EQ(read[1].samples_per_second, 99.5);
  EXPECT_TRUE(std::isnan(read[1].accuracy));  // written as null
  EXPECT_EQ(history_json(read).dump(), text);
}

TEST(History, RefusesAHistoryThatIsNotTheCheckpoints) {
  const std::string one = history_json({EpochMetrics{1, 1, 1, 1, 1, 1, 1, 0}}).dump();
  try {
    history_from_json(one, 2, "ck.safetensors");
    FAIL() << "no error";
  } catch (const io::FormatError& error) {
    EXPECT_STREQ(error.what(),
                 "ck.safetensors: metadata 'history': holds 1 epochs but the checkpoint is after "
                 "epoch 2");
  }
  EXPECT_THROW(history_from_json(R"([{"epoch":2}])", 1, "ck"), io::FormatError);
  EXPECT_THROW(history_from_json("{}", 0, "ck"), io::FormatError);
}

TEST(ContinuedSettings, KeepTheRunsSettingsButForTheEpochs) {
  Resumable run;
  run.settings.layers = "4:relu,2";
  run.settings.warmup = 3;
  run.settings.epochs = 5;
  run.settings.lr = 0.5;
  EXPECT_EQ(continued_settings(run, std::nullopt, quoted_key).to_json(), run.settings.to_json());
  const TrainSettings longer = continued_settings(run, 9, quoted_key);
  EXPECT_EQ(longer.epochs, 9);
  EXPECT_EQ(longer.lr, 0.5);
  try {
    continued_settings(run, 3, quoted_key);
    FAIL() << "no error";
  } catch (const SettingError& error) {
    EXPECT_EQ(error.key(), "epochs");
    EXPECT_EQ(error.problem(), "must be more than the run's 'warmup' of 3 epochs");
  }
}

TEST(Settings, ProblemsNameTheOtherSettingAsTheFrontEndDoes) {
  TrainSettings settings;
  settings.layers = "4,2";
  settings.nesterov = true;
  const auto problem = problem_of(settings, [](const std::string& key) { return "<" + key + ">"; });
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->key, "nesterov");
  EXPECT_EQ(problem->problem, "needs <momentum>");
  settings.momentum = 0.9;
  EXPECT_FALSE(problem_of(settings, quoted_key).has_value());
  EXPECT_EQ(TrainSettings::from_json(settings.to_json(), "f").to_json(), settings.to_json());
}

// The settings a model file records are the ones the run used: no placeholder is left, and
// each resolved value is what the optimizer and schedule the settings make actually use.
TEST(Settings, ResolvedReplacesEveryPlaceholderByWhatTheRunUses) {
  for (const char* optimizer : {"sgd", "adam", "adamw", "rmsprop"}) {
    TrainSettings given;
    given.optimizer = optimizer;
    given.schedule = "step";
    given.epochs = 10;
    const TrainSettings used = given.resolved(/*standardized=*/true);
    EXPECT_EQ(used.lr, make_optimizer<double>(given)->learning_rate()) << optimizer;
    EXPECT_EQ(used.weight_decay, std::string(optimizer) == "adamw" ? 0.01 : 0.0) << optimizer;
    EXPECT_EQ(used.step_size, 3);  // a third of the epochs
    EXPECT_EQ(used.normalize, "standard");
    // The resolved settings train alike: the optimizer they make has the same rate.
    EXPECT_EQ(make_optimizer<double>(used)->learning_rate(),
              make_optimizer<double>(given)->learning_rate());
  }
  TrainSettings given;
  given.lr = 0.5;
  given.weight_decay = 0.25;
  given.normalize = "none";
  const TrainSettings used = given.resolved(/*standardized=*/true);
  EXPECT_EQ(used.lr, 0.5);
  EXPECT_EQ(used.weight_decay, 0.25);
  EXPECT_EQ(used.step_size, 0);  // the constant schedule has no step
  EXPECT_EQ(used.normalize, "none");
  EXPECT_EQ(TrainSettings{}.resolved(/*standardized=*/false).normalize, "none");
}

// ce takes logits and bce is BCE-with-logits: a network ending in the activation they apply
// would apply it twice. The problem names the spec to use instead.
TEST(Settings, AFinalActivationTheLossAppliesIsAProblem) {
  TrainSettings settings;
  settings.layers = "16:relu,3:softmax";
  const auto problem = problem_of(settings, quoted_key);
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->key, "layers");
  EXPECT_EQ(problem->problem,
            "ends in softmax, but the ce loss applies the softmax itself (cross-entropy of "
            "logits), so it would be applied twice; drop the final softmax ('16:relu,3'): "
            "predict outputs probabilities anyway");
  EXPECT_EQ(final_activation_problem("4,sigmoid", "bce"),
            "ends in sigmoid, but the bce loss applies the sigmoid itself (binary cross-entropy "
            "with logits), so it would be applied twice; drop the final sigmoid ('4'): predict "
            "outputs probabilities anyway");
  EXPECT_EQ(final_activation_problem("softmax", "ce").find("drop the final softmax: predict"),
            std::string("ends in softmax, but the ce loss applies the softmax itself (cross-"
                        "entropy of logits), so it would be applied twice; ")
                .size());
  for (const auto& [spec, loss] :
       std::initializer_list<std::pair<const char*, const char*>>{{"3:softmax", "mse"},
                                                                  {"1:sigmoid", "ce"},
                                                                  {"3:softmax", "bce"},
                                                                  {"8:softmax,3", "ce"},
                                                                  {"3", "ce"},
                                                                  {"not a spec", "ce"}}) {
    EXPECT_EQ(final_activation_problem(spec, loss), "") << spec << " " << loss;
  }
}

}  // namespace
}  // namespace scratchnet::training
