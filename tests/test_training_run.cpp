// training::TrainingRun, the one entry point of every front end: a run through the library is
// the run the command line makes (the same model file, byte for byte), it is the documented
// pipeline of lower-level pieces, and resuming it (after an epoch, or inside one) ends with the
// same bits as never stopping.

#include "scratchnet/training/training_run.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "cli_runner.hpp"
#include "scratchnet/data/standardization.hpp"
#include "scratchnet/init/initializer.hpp"
#include "scratchnet/io/model_file.hpp"
#include "scratchnet/losses/softmax_cross_entropy.hpp"
#include "scratchnet/model/layer_spec.hpp"
#include "scratchnet/optimizers/sgd.hpp"
#include "scratchnet/training/setting_error.hpp"
#include "temporary_folder.hpp"

namespace scratchnet::training {
namespace {

using testing::read_bytes;
using testing::TemporaryFolder;

// A small two-class problem with validation and early stopping's memory at work.
TrainSettings small_settings() {
  TrainSettings settings;
  settings.layers = "8:relu,2";
  settings.optimizer = "sgd";
  settings.lr = 0.05;
  settings.momentum = 0.9;
  settings.batch = 16;
  settings.epochs = 6;
  settings.seed = 7;
  settings.val_split = 0.2;
  settings.patience = 10;
  return settings;
}

struct CsvFiles {
  TemporaryFolder folder;
  std::string train = folder.file("train.csv"), test = folder.file("test.csv");
  CsvFiles() {
    testing::write_bytes(train, testing::two_feature_csv(150));
    testing::write_bytes(test, testing::two_feature_csv(40));
  }
};

RunInputs inputs_for(const std::string& path) {
  RunInputs inputs;
  inputs.rows = data::read_rows({path, "", {}, /*test_set=*/false});
  return inputs;
}

// The model file a library run writes: trained, finished, saved.
std::string trained_model_bytes(const TrainSettings& settings, RunInputs inputs,
                                const std::string& out) {
  TrainingRun<float> run(settings, std::move(inputs));
  const TrainingResult result = run.fit();
  run.finish(result);
  io::save_model<float>(out, run.model(), run.description());
  return read_bytes(out);
}

TEST(TrainingRun, WritesTheModelFileTheCommandLineWrites) {
  const CsvFiles files;
  RunInputs inputs = inputs_for(files.train);
  const std::string test = files.test;
  inputs.read_test_rows = [test] { return data::read_rows({test, "", {}, false}); };
  const std::string library =
      trained_model_bytes(small_settings(), std::move(inputs), files.folder.file("library"));

  const std::string cli = files.folder.file("cli.safetensors");
  const testing::CommandResult result = testing::run_cli(
      {"train",       "--data",   files.train, "--test", files.test,   "--layers",    "8:relu,2",
       "--optimizer", "sgd",      "--lr",      "0.05",   "--momentum", "0.9",         "--batch",
       "16",          "--epochs", "6",         "--seed", "7",          "--val-split", "0.2",
       "--patience",  "10",       "--quiet",   "--out",  cli});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_FALSE(library.empty());
  EXPECT_EQ(library, read_bytes(cli));
}

// The pipeline the header documents, put together by hand from the pieces under the run: the
// seeded split, standardisation fitted on the training rows, a fresh network initialised from
// the same generator, and the Trainer.
TEST(TrainingRun, IsTheDocumentedPipeline) {
  const CsvFiles files;
  const TrainSettings settings = small_settings();
  TrainingRun<float> run(settings, inputs_for(files.train));
  run.fit();

  data::RawRows rows = data::read_rows({files.train, "", {}, false});
  const std::vector<std::string> classes = data::classes_of(rows);
  const Matrix<double> targets = data::targets_of(rows, Task::multiclass, classes);
  Random random(7);
  auto [training_rows, validation_rows] = split_rows(rows.rows(), 0.2, random);
  const data::Standardization scaling =
      data::Standardization::fit(rows.table->features, training_rows);
  const auto dataset = data::make_dataset<float>(std::move(rows), targets, &scaling);
  const Subset<float> training(*dataset, training_rows), validation(*dataset, validation_rows);
  Sequential<float> model = build_model<float>(parse_layer_spec("8:relu,2"), 2);
  initialize(model, Initializer::torch_default, random);
  SoftmaxCrossEntropy<float> loss;
  SgdOptions sgd;
  sgd.lr = 0.05;
  sgd.momentum = 0.9;
  Sgd<float> optimizer(sgd);
  TrainingOptions options;
  options.batch_size = 16;
  options.epochs = 6;
  options.patience = 10;
  // The default schedule: cosine from the rate down to 0 over every step of the 6 epochs.
  const Index steps_per_epoch = (Index(training_rows.size()) + 15) / 16;
  options.schedule = LrSchedule::cosine(0.05, 6 * steps_per_epoch, /*min_lr=*/0);
  Trainer<float> trainer(model, loss, optimizer, options);
  trainer.fit(training, &validation, random);

  const auto expected = model.parameters(), actual = run.model().parameters();
  ASSERT_EQ(expected.size(), actual.size());
  for (Index i = 0; i < expected.size(); ++i)
    ASSERT_EQ(expected[i], actual[i]) << "parameter " << i;
  EXPECT_EQ(run.classes(), classes);
  EXPECT_EQ(run.description().mean, scaling.mean);
  EXPECT_EQ(run.history().size(), 6u);
}

// The last checkpoint of `folder`, resumed for the settings' epochs, trained and saved.
std::string resumed_model_bytes(const std::string& folder, const std::string& train,
                                const std::string& out) {
  std::vector<std::string> warnings;
  const Resumable resumable = find_resumable(folder, warnings);
  EXPECT_TRUE(warnings.empty());
  RunInputs inputs = inputs_for(train);
  inputs.resume = &resumable;
  return trained_model_bytes(continued_settings(resumable, 6, quoted_key), std::move(inputs), out);
}

// A run of 3 epochs resumed to 6 is the run of 6 when its rate does not depend on the epochs (a
// cosine's does: see the next test).
TEST(TrainingRun, ResumedAfterAnEpochEndsWithTheSameBits) {
  const CsvFiles files;
  TrainSettings settings = small_settings();
  settings.schedule = "constant";
  const std::string whole =
      trained_model_bytes(settings, inputs_for(files.train), files.folder.file("whole"));

  TrainSettings first_half = settings;
  first_half.epochs = 3;
  RunInputs inputs = inputs_for(files.train);
  inputs.checkpoint_folder = files.folder.file("checkpoints");
  trained_model_bytes(first_half, std::move(inputs), files.folder.file("half"));
  EXPECT_EQ(resumed_model_bytes(files.folder.file("checkpoints"), files.train,
                                files.folder.file("resumed")),
            whole);
}

// The cosine schedule (the default) is planned over the run's epochs, so a resume that adds
// epochs stretches it: from the resumed epoch on, the rates are those of a run planned for the
// longer length from the start (its weights differ: they have been through one decay already).
TEST(TrainingRun, AResumeThatAddsEpochsStretchesTheCosine) {
  const CsvFiles files;
  ASSERT_EQ(small_settings().schedule, "cosine");
  TrainingRun<float> whole(small_settings(), inputs_for(files.train));
  whole.fit();

  TrainSettings first_half = small_settings();
  first_half.epochs = 3;
  RunInputs inputs = inputs_for(files.train);
  inputs.checkpoint_folder = files.folder.file("checkpoints");
  TrainingRun<float> half(first_half, std::move(inputs));
  half.fit();
  ASSERT_EQ(half.history().size(), 3u);
  EXPECT_LT(half.history()[2].learning_rate, whole.history()[2].learning_rate / 10);

  std::vector<std::string> warnings;
  const Resumable resumable = find_resumable(files.folder.file("checkpoints"), warnings);
  RunInputs resumed_inputs = inputs_for(files.train);
  resumed_inputs.resume = &resumable;
  TrainingRun<float> resumed(continued_settings(resumable, 6, quoted_key),
                             std::move(resumed_inputs));
  resumed.fit();
  ASSERT_EQ(resumed.history().size(), 6u);
  for (std::size_t epoch = 3; epoch < 6; ++epoch)
    EXPECT_EQ(resumed.history()[epoch].learning_rate, whole.history()[epoch].learning_rate)
        << "epoch " << epoch + 1;
}

TEST(TrainingRun, ResumedFromInsideAnEpochEndsWithTheSameBits) {
  const CsvFiles files;
  const std::string whole =
      trained_model_bytes(small_settings(), inputs_for(files.train), files.folder.file("whole"));

  TrainingRun<float> run(small_settings(), inputs_for(files.train));
  int batches = 0;
  TrainingCallbacks callbacks;
  callbacks.on_batch = [&](const BatchProgress&) { ++batches; };
  callbacks.stop_requested = [&] { return batches == 19; };  // inside epoch 3 (8 batches each)
  const TrainingResult stopped = run.fit(callbacks);
  ASSERT_TRUE(stopped.interrupted.has_value());
  EXPECT_EQ(stopped.interrupted->epoch, 3);
  const std::string folder = files.folder.file("checkpoints");
  run.save_checkpoint(folder, stopped.interrupted->epoch - 1, stopped.interrupted);
  EXPECT_EQ(resumed_model_bytes(folder, files.train, files.folder.file("resumed")), whole);
}

TEST(TrainingRun, NamesTheSettingAtFault) {
  const CsvFiles files;
  TrainSettings settings = small_settings();
  settings.layers.clear();
  try {
    TrainingRun<float> run(settings, inputs_for(files.train));
    FAIL() << "no error";
  } catch (const SettingError& error) {
    EXPECT_EQ(error.key(), "layers");
    EXPECT_EQ(error.problem(), "required: the network, e.g. 'layers' 128:relu,10");
  }
  settings.layers = "8:relu,3";
  EXPECT_THROW(
      {
        try {
          TrainingRun<float> run(settings, inputs_for(files.train));
        } catch (const std::runtime_error& error) {
          EXPECT_STREQ(error.what(),
                       "the network has 3 outputs but the data has 2 classes; end 'layers' "
                       "with 2");
          throw;
        }
      },
      std::runtime_error);
}

TEST(TrainingRun, RefusesToResumeOnOtherData) {
  const CsvFiles files;
  TrainSettings settings = small_settings();
  settings.epochs = 1;
  RunInputs inputs = inputs_for(files.train);
  inputs.checkpoint_folder = files.folder.file("checkpoints");
  trained_model_bytes(settings, std::move(inputs), files.folder.file("one"));
  std::vector<std::string> warnings;
  const Resumable resumable = find_resumable(files.folder.file("checkpoints"), warnings);
  RunInputs other = inputs_for(files.test);
  other.resume = &resumable;
  try {
    TrainingRun<float> run(continued_settings(resumable, 2, quoted_key), std::move(other));
    FAIL() << "no error";
  } catch (const SettingError& error) {
    EXPECT_EQ(error.key(), "data");
    EXPECT_EQ(error.problem(), "not the data the run in " + files.folder.file("checkpoints") +
                                   " was trained on (150 rows, 2 features; this data has 40 "
                                   "rows, 2 features)");
  }
}

}  // namespace
}  // namespace scratchnet::training
