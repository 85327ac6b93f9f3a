// Checkpoints: a run stopped, saved, loaded into a fresh model and optimizer and continued gives
// the same bits as the run never stopped (float with Adam, double with Nesterov SGD; Dropout
// draws from the saved generator), pruning keeps the newest checkpoints, a corrupt newest one
// falls back to the one before with a warning, and every mismatch says what and where.
#include <gtest/gtest.h>

#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <memory>

#include "scratchnet/files/folder_lock.hpp"
#include "scratchnet/init/initializer.hpp"
#include "scratchnet/io/checkpoint.hpp"
#include "scratchnet/losses/mean_squared_error.hpp"
#include "scratchnet/model/layer_spec.hpp"
#include "scratchnet/optimizers/adam.hpp"
#include "scratchnet/optimizers/sgd.hpp"
#include "temporary_folder.hpp"

namespace scratchnet::io {
namespace {

using files::FolderLock;
using files::kFolderLockName;
using testing::names_in;
using testing::read_bytes;
using testing::TemporaryFolder;
using testing::write_bytes;

namespace fs = std::filesystem;

constexpr const char* kSpec = "6:tanh,dropout:0.3,2";
constexpr Index kInputs = 4;

template <typename T>
Sequential<T> untrained_model() {
  return build_model<T>(parse_layer_spec(kSpec), kInputs);
}

ModelDescription description_of_run() {
  ModelDescription description;
  description.spec = kSpec;
  description.inputs = kInputs;
  description.loss = "ce";  // a 2-output network: mse or bce would need 1 output
  description.label_name = "targets";
  description.training_json = R"({"epochs":2})";
  return description;
}

// The run id of the test runs' checkpoints.
constexpr const char* kRunId = "0123456789abcdef0123456789abcdef";

CheckpointState state_at(int epoch, const Random& random, const std::string& run_id = kRunId) {
  CheckpointState state;
  state.run_id = run_id;
  state.data = {/*rows=*/8, /*features=*/kInputs, /*hash=*/0xfedcba9876543210ULL};
  state.epoch = epoch;
  state.random_state = random.state();
  state.options_json = R"({"epochs":2,"batch_size":8})";
  state.history_json = R"([{"epoch":1,"loss":0.5}])";
  return state;
}

// `steps` full-batch training steps, Dropout drawing its masks as a Trainer does: by step count,
// which a checkpoint restores with the optimizer.
template <typename T>
void train(Sequential<T>& model, Optimizer<T>& optimizer, int steps) {
  Random data(/*seed=*/11);  // the same batch every time
  Matrix<T> x(8, kInputs), y(8, 2);
  for (T& value : x.reshaped())
    value = T(data.normal());
  for (T& value : y.reshaped())
    value = T(data.normal());
  MeanSquaredError<T> loss;
  SampleRandom masks(/*seed=*/12);
  model.train(masks);
  for (int i = 0; i < steps; ++i) {
    masks.set_position(optimizer.steps(), /*first_row=*/0);
    model.zero_gradients();
    loss.forward(model.forward(x), y);
    model.backward(loss.backward());
    optimizer.step(model.parameters(), model.gradients());
  }
}

template <typename T>
std::vector<T> values_of(VectorView<T> view) {
  return {view.data(), view.data() + view.size()};
}

// Bit for bit (memcmp, so that -0 and 0 differ and NaNs compare).
template <typename T>
::testing::AssertionResult same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  if (a.size() != b.size()) return ::testing::AssertionFailure() << "sizes differ";
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::memcmp(&a[i], &b[i], sizeof(T)) != 0) {
      return ::testing::AssertionFailure() << "element " << i << ": " << a[i] << " vs " << b[i];
    }
  }
  return ::testing::AssertionSuccess();
}

template <typename T>
void expect_bit_exact_continuation(const std::function<std::unique_ptr<Optimizer<T>>()>& make) {
  TemporaryFolder folder;
  Random random(/*seed=*/5);
  Sequential<T> model = untrained_model<T>();
  initialize(model, Initializer::torch_default, random);
  const std::unique_ptr<Optimizer<T>> optimizer = make();
  train(model, *optimizer, 3);
  optimizer->set_learning_rate(0.005);  // as a schedule would between epochs
  const CheckpointState saved = state_at(1, random);
  const std::string path =
      save_checkpoint(folder.path(), model, *optimizer, description_of_run(), saved);
  EXPECT_EQ(path, folder.file("checkpoint-epoch-0001.safetensors"));
  train(model, *optimizer, 3);  // the run that never stopped

  Sequential<T> resumed = untrained_model<T>();
  const std::unique_ptr<Optimizer<T>> resumed_optimizer = make();
  ModelDescription description;
  std::vector<std::string> warnings;
  const CheckpointState loaded =
      load_checkpoint(folder.path(), resumed, *resumed_optimizer, description, warnings);
  EXPECT_TRUE(warnings.empty());
  CheckpointState expected = saved;
  expected.optimizer = optimizer->name();
  expected.optimizer_steps = 3;
  expected.learning_rate = 0.005;
  EXPECT_EQ(loaded, expected);
  EXPECT_EQ(description, description_of_run());
  EXPECT_EQ(resumed_optimizer->steps(), 3);
  EXPECT_EQ(resumed_optimizer->learning_rate(), 0.005);

  Random resumed_random(/*seed=*/999);
  resumed_random.restore(loaded.random_state);
  train(resumed, *resumed_optimizer, 3);
  EXPECT_TRUE(same_bits(values_of(resumed.parameters()), values_of(model.parameters())));
  const auto state = optimizer->state(), resumed_state = resumed_optimizer->state();
  ASSERT_EQ(state.size(), resumed_state.size());
  ASSERT_FALSE(state.empty());
  for (std::size_t i = 0; i < state.size(); ++i) {
    EXPECT_EQ(state[i].name, resumed_state[i].name);
    EXPECT_TRUE(same_bits(values_of(state[i].values), values_of(resumed_state[i].values)))
        << state[i].name;
  }
  EXPECT_TRUE(resumed_random == random);
}

AdamOptions adam_options() {
  AdamOptions options;
  options.lr = 0.01;
  return options;
}

SgdOptions nesterov_options() {
  SgdOptions options;
  options.lr = 0.1;
  options.momentum = 0.9;
  options.nesterov = true;
  return options;
}

TEST(Checkpoint, ContinuesAFloatAdamRunBitForBit) {
  expect_bit_exact_continuation<float>(
      [] { return std::make_unique<Adam<float>>(adam_options()); });
}

TEST(Checkpoint, ContinuesADoubleSgdRunBitForBit) {
  expect_bit_exact_continuation<double>(
      [] { return std::make_unique<Sgd<double>>(nesterov_options()); });
}

// A folder of checkpoints of epochs `epochs`, saved with `keep`, from a short Adam run.
class CheckpointFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    initialize(model_, Initializer::torch_default, random_);
    train(model_, adam_, 2);
  }
  std::string save(int epoch, int keep = 3, const std::string& run_id = kRunId) {
    return save_checkpoint(folder_.path(), model_, adam_, description_of_run(),
                           state_at(epoch, random_, run_id), {}, keep);
  }
  // What load_checkpoint throws for `path_or_folder`, folder taken out; "no error" otherwise.
  std::string load_error(const std::string& path_or_folder, Optimizer<float>& optimizer) {
    Sequential<float> model = untrained_model<float>();
    ModelDescription description;
    std::vector<std::string> warnings;
    try {
      load_checkpoint(path_or_folder, model, optimizer, description, warnings);
    } catch (const std::exception& error) {
      EXPECT_TRUE(model.parameters().isZero()) << "a failed load changed the model";
      std::string text = error.what();
      const std::string prefix = folder_.path() + "/";
      for (std::size_t at; (at = text.find(prefix)) != std::string::npos;)
        text.erase(at, prefix.size());
      return text;
    }
    return "no error";
  }

  TemporaryFolder folder_;
  Random random_{/*seed=*/3};
  Sequential<float> model_ = untrained_model<float>();
  Adam<float> adam_{adam_options()};
};

TEST_F(CheckpointFolder, PrunesToTheNewestThreeOnlyAfterWriting) {
  for (int epoch = 1; epoch <= 5; ++epoch)
    save(epoch);
  EXPECT_EQ(list_checkpoints(folder_.path()),
            (std::vector<std::string>{folder_.file("checkpoint-epoch-0005.safetensors"),
                                      folder_.file("checkpoint-epoch-0004.safetensors"),
                                      folder_.file("checkpoint-epoch-0003.safetensors")}));
  EXPECT_EQ(names_in(folder_.path()).size(), 3u);  // and no temporaries

  save(2);  // an older epoch written now is kept, whatever `keep` says
  EXPECT_EQ(names_in(folder_.path()).size(), 4u);
  save(6, /*keep=*/1);
  EXPECT_EQ(names_in(folder_.path()),
            std::vector<std::string>{"checkpoint-epoch-0006.safetensors"});
}

// A folder shared by two runs: each prunes only its own checkpoints, however the names sort, and
// each sees the other's (and any it cannot read) as another run's.
TEST_F(CheckpointFolder, PrunesOnlyItsOwnRunsCheckpoints) {
  const std::string other_run = new_run_id();
  for (int epoch = 10; epoch <= 12; ++epoch)
    save(epoch, 3, other_run);
  for (int epoch = 1; epoch <= 5; ++epoch)
    save(epoch);
  EXPECT_EQ(names_in(folder_.path()),
            (std::vector<std::string>{
                "checkpoint-epoch-0003.safetensors", "checkpoint-epoch-0004.safetensors",
                "checkpoint-epoch-0005.safetensors", "checkpoint-epoch-0010.safetensors",
                "checkpoint-epoch-0011.safetensors", "checkpoint-epoch-0012.safetensors"}));
  EXPECT_EQ(checkpoint_run_id(folder_.file("checkpoint-epoch-0012.safetensors")), other_run);
  EXPECT_EQ(checkpoint_run_id(folder_.file("checkpoint-epoch-0005.safetensors")), kRunId);
  write_bytes(folder_.file("checkpoint-epoch-0007.safetensors"), "torn");
  EXPECT_EQ(checkpoint_run_id(folder_.file("checkpoint-epoch-0007.safetensors")), "");
  EXPECT_EQ(other_runs_checkpoints(folder_.path(), kRunId),
            (std::vector<std::string>{folder_.file("checkpoint-epoch-0012.safetensors"),
                                      folder_.file("checkpoint-epoch-0011.safetensors"),
                                      folder_.file("checkpoint-epoch-0010.safetensors"),
                                      folder_.file("checkpoint-epoch-0007.safetensors")}));
  EXPECT_EQ(remove_other_runs_checkpoints(folder_.path(), kRunId), 4);
  EXPECT_EQ(names_in(folder_.path()),
            (std::vector<std::string>{"checkpoint-epoch-0003.safetensors",
                                      "checkpoint-epoch-0004.safetensors",
                                      "checkpoint-epoch-0005.safetensors"}));
}

TEST(Checkpoint, RunIdsAreFreshHexAndNeverTheSame) {
  const std::string first = new_run_id(), second = new_run_id();
  EXPECT_TRUE(is_run_id(first)) << first;
  EXPECT_TRUE(is_run_id(second)) << second;
  EXPECT_NE(first, second);
  EXPECT_FALSE(is_run_id("0123456789ABCDEF0123456789abcdef"));
  EXPECT_FALSE(is_run_id("0123456789abcdef"));
}

// One holder at a time, the second told who holds it; released with its holder.
TEST(Checkpoint, AFolderLockIsExclusiveUntilReleased) {
  TemporaryFolder folder;
  const std::string inside = folder.file("runs/a");
  {
    const FolderLock lock(inside);  // creates the folder
    EXPECT_TRUE(fs::is_directory(inside));
    try {
      const FolderLock second(inside);
      FAIL() << "locked twice";
    } catch (const std::runtime_error& error) {
      EXPECT_EQ(std::string(error.what()), inside + ": another scratchnet run (pid " +
                                               std::to_string(::getpid()) +
                                               ") is using this folder");
    }
    EXPECT_TRUE(list_checkpoints(inside).empty());  // the lock file is not a checkpoint
  }
  EXPECT_NO_THROW(FolderLock again(inside));
  // A lock file that is a symbolic link is refused, its target left as it was.
  const std::string target = folder.file("precious.txt");
  write_bytes(target, "keep me");
  const std::string linked = folder.file("linked");
  fs::create_directory(linked);
  fs::create_symlink(target, linked + "/" + kFolderLockName);
  EXPECT_THROW(FolderLock lock(linked), std::runtime_error);
  EXPECT_EQ(read_bytes(target), "keep me");
}

TEST_F(CheckpointFolder, FallsBackFromACorruptNewestCheckpointWithAWarning) {
  save(1);
  save(2);
  const std::string newest = save(3);
  write_bytes(newest, "junk");

  Sequential<float> model = untrained_model<float>();
  Adam<float> adam(adam_options());
  ModelDescription description;
  std::vector<std::string> warnings;
  const CheckpointState state = load_checkpoint(folder_.path(), model, adam, description, warnings);
  EXPECT_EQ(state.epoch, 2);
  EXPECT_EQ(warnings, std::vector<std::string>{
                          "checkpoint " + newest +
                          " is unreadable (the file is 4 bytes, too short for the 8-byte header "
                          "length); using " +
                          folder_.file("checkpoint-epoch-0002.safetensors")});
  EXPECT_TRUE(same_bits(values_of(model.parameters()), values_of(model_.parameters())));

  // A checkpoint cut short is caught too.
  const std::string second = folder_.file("checkpoint-epoch-0002.safetensors");
  fs::resize_file(second, fs::file_size(second) - 1);
  warnings.clear();
  EXPECT_EQ(load_checkpoint(folder_.path(), model, adam, description, warnings).epoch, 1);
  EXPECT_EQ(warnings.size(), 2u);
}

TEST_F(CheckpointFolder, SaysWhenNoCheckpointLoads) {
  Adam<float> adam(adam_options());
  EXPECT_EQ(load_error(folder_.path(), adam),
            folder_.path() + ": no checkpoint-epoch-*.safetensors in this folder");
  save(1);
  save(2);
  for (const std::string& path : list_checkpoints(folder_.path()))
    write_bytes(path, "junk");
  EXPECT_EQ(load_error(folder_.path(), adam),
            folder_.path() +
                ": no checkpoint in this folder loads; the newest, "
                "checkpoint-epoch-0002.safetensors, is unreadable (the file is 4 bytes, too short "
                "for the 8-byte header length)");
  EXPECT_EQ(load_error(folder_.file("checkpoint-epoch-0001.safetensors"), adam),
            "checkpoint-epoch-0001.safetensors: the file is 4 bytes, too short for the 8-byte "
            "header length");
}

TEST_F(CheckpointFolder, RefusesAnotherOptimizerOrOtherState) {
  const std::string path = save(1);
  Sgd<float> sgd(/*learning_rate=*/0.1);
  EXPECT_EQ(load_error(path, sgd),
            "checkpoint-epoch-0001.safetensors: the checkpoint was "
            "trained with Adam but this optimizer is SGD");

  SgdOptions momentum = nesterov_options();
  Sgd<float> with_momentum(momentum);
  train(model_, with_momentum, 1);
  const std::string sgd_path = save_checkpoint(folder_.path(), model_, with_momentum,
                                               description_of_run(), state_at(2, random_));
  EXPECT_EQ(load_error(sgd_path, sgd),
            "checkpoint-epoch-0002.safetensors: tensor 'optimizer.momentum_buffer' is not state "
            "that SGD keeps (with these options)");

  Sgd<float> plain(/*learning_rate=*/0.1);
  train(model_, plain, 1);
  const std::string plain_path =
      save_checkpoint(folder_.path(), model_, plain, description_of_run(), state_at(3, random_));
  Sgd<float> fresh_momentum(momentum);
  EXPECT_EQ(load_error(plain_path, fresh_momentum),
            "checkpoint-epoch-0003.safetensors: tensor 'optimizer.momentum_buffer' is missing "
            "(SGD keeps it, shape [44])");
}

TEST_F(CheckpointFolder, RefusesAModelOfOtherShape) {
  const std::string path = save(1);
  Sequential<float> other = build_model<float>(parse_layer_spec("5:tanh,2"), kInputs);
  Adam<float> adam(adam_options());
  ModelDescription description;
  std::vector<std::string> warnings;
  try {
    load_checkpoint(path, other, adam, description, warnings);
    FAIL() << "no error";
  } catch (const FormatError& error) {
    EXPECT_EQ(std::string(error.what()),
              path + ": tensor '0.weight' has shape [6, 4] but the model needs [5, 4]");
  }
  EXPECT_TRUE(other.parameters().isZero());
  EXPECT_TRUE(description == ModelDescription{});
}

TEST_F(CheckpointFolder, RefusesBadCheckpointMetadata) {
  const std::string path = save(1);
  const SafetensorsFile good = read_safetensors(path);
  Adam<float> adam(adam_options());
  const auto error_with = [&](const std::string& key, const std::string& value) {
    auto metadata = good.metadata;
    if (value == "(absent)") {
      metadata.erase(key);
    } else {
      metadata[key] = value;
    }
    write_bytes(path, encode_safetensors(good.tensors, metadata));
    return load_error(path, adam);
  };
  const std::string file = "checkpoint-epoch-0001.safetensors: ";
  EXPECT_EQ(error_with("epoch", "1"), "no error");
  EXPECT_EQ(error_with("checkpoint", "(absent)"),
            file + "not a checkpoint (its metadata has no 'checkpoint' key)");
  EXPECT_EQ(error_with("epoch", "-1"),
            file + "metadata 'epoch': expected a whole number from 0 to 2147483646, got '-1'");
  EXPECT_EQ(error_with("epoch", "2147483647"),
            file +
                "metadata 'epoch': expected a whole number from 0 to 2147483646, got "
                "'2147483647'");
  EXPECT_EQ(error_with("optimizer_steps", "(absent)"),
            file + "metadata 'optimizer_steps': missing");
  EXPECT_EQ(error_with("learning_rate", "nan"),
            file + "metadata 'learning_rate': expected a finite number >= 0, got 'nan'");
  EXPECT_EQ(error_with("random_state", "42"),
            file + "metadata 'random_state': not a random-generator state");
  EXPECT_EQ(error_with("history", "[{"), file + "metadata 'history': not valid JSON");
  // Every JSON text is read with bounds: 100,000 nested brackets are refused at once, and the
  // message still names the key.
  const std::string nested = std::string(100'000, '[') + std::string(100'000, ']');
  for (const char* key : {"history", "options", "best_epoch", "inside_epoch", "data"}) {
    EXPECT_EQ(error_with(key, nested),
              file + "metadata '" + key + "': nested deeper than 32 levels");
  }
  EXPECT_EQ(error_with("run_id", "(absent)"), file + "metadata 'run_id': missing");
  EXPECT_EQ(error_with("run_id", "0123"),
            file + "metadata 'run_id': expected 32 lowercase hex digits");
  EXPECT_EQ(error_with("data", R"({"rows":0,"features":4,"hash":"fedcba9876543210"})"),
            file + "metadata 'data': 'rows' must be a whole number >= 1");
  EXPECT_EQ(error_with("data", R"({"rows":8,"features":4,"hash":"xyz"})"),
            file + "metadata 'data': 'hash' must be 16 lowercase hex digits");
  EXPECT_EQ(error_with("checkpoint", "1"),
            file + "metadata 'checkpoint': version '1' is not one this build reads (2)");
  EXPECT_EQ(error_with("inputs", "5"),
            file + "the checkpoint's model takes 5 inputs but this one takes 4");
}

TEST_F(CheckpointFolder, ReadsAsAModelFile) {
  const std::string path = save(1);
  LoadedModel<float> loaded = load_model<float>(path);  // optimizer.* tensors aside
  EXPECT_TRUE(loaded.has_metadata);
  EXPECT_EQ(loaded.description, description_of_run());
  EXPECT_TRUE(same_bits(values_of(loaded.network.parameters()), values_of(model_.parameters())));
  const SafetensorsFile file = read_safetensors(path);
  EXPECT_NE(file.find("optimizer.exp_avg"), nullptr);
  EXPECT_NE(file.find("optimizer.exp_avg_sq"), nullptr);
  EXPECT_EQ(file.metadata.at("optimizer"), "Adam");
  EXPECT_EQ(file.metadata.at("optimizer_steps"), "2");
  EXPECT_EQ(file.metadata.at("learning_rate"), "0.01");
  EXPECT_EQ(read_checkpoint_state(file.metadata, path).epoch, 1);
}

TEST_F(CheckpointFolder, RefusesToSaveWhatCannotBeRestored) {
  model_.parameters()[0] = std::numeric_limits<float>::quiet_NaN();
  EXPECT_THROW(save(1), std::invalid_argument);
  model_.parameters()[0] = 0;
  CheckpointState state = state_at(1, random_);
  state.random_state = "not a state";
  EXPECT_THROW(save_checkpoint(folder_.path(), model_, adam_, description_of_run(), state),
               std::invalid_argument);
  EXPECT_THROW(save(1, /*keep=*/0), std::invalid_argument);
  EXPECT_THROW(save(-1), std::invalid_argument);
  EXPECT_THROW(save(1, 3, "not a run id"), std::invalid_argument);
  EXPECT_TRUE(names_in(folder_.path()).empty());
}

// A checkpoint written inside an epoch (a run stopped by a signal) keeps the trainer's
// EpochProgress, sorts between the epochs around it, and refuses a progress that cannot be.
TEST_F(CheckpointFolder, KeepsWhereARunStoodInsideAnEpoch) {
  save(3);
  CheckpointState state = state_at(3, random_);
  EpochProgress progress;
  progress.epoch = 4;
  progress.batches_done = 17;
  progress.start_random_state = Random(/*seed=*/99).state();
  progress.random_state = state.random_state;
  progress.weighted_loss = 12.625;
  progress.correct = 100;
  progress.predictions = 136;
  progress.seconds = 0.1;
  state.inside_epoch = progress;
  const std::string path =
      save_checkpoint(folder_.path(), model_, adam_, description_of_run(), state);
  EXPECT_EQ(path, folder_.file("checkpoint-epoch-0003-batch-000017.safetensors"));
  EXPECT_EQ(list_checkpoints(folder_.path()).front(), path);

  Sequential<float> model = untrained_model<float>();
  Adam<float> adam(adam_options());
  ModelDescription description;
  std::vector<std::string> warnings;
  CheckpointState loaded = load_checkpoint(folder_.path(), model, adam, description, warnings);
  state.optimizer = adam_.name();  // written as the optimizer reports them
  state.optimizer_steps = adam_.steps();
  state.learning_rate = adam_.learning_rate();
  EXPECT_TRUE(loaded == state);

  const SafetensorsFile file = read_safetensors(path);
  auto metadata = file.metadata;
  metadata["inside_epoch"] = R"({"batches_done":0})";
  write_bytes(path, encode_safetensors(file.tensors, metadata));
  EXPECT_EQ(load_error(path, adam),
            "checkpoint-epoch-0003-batch-000017.safetensors: metadata 'inside_epoch': "
            "'batches_done' must be a whole number >= 1");

  state.inside_epoch->epoch = 5;  // not the epoch after state.epoch
  EXPECT_THROW(save_checkpoint(folder_.path(), model_, adam_, description_of_run(), state),
               std::invalid_argument);
}

// Early stopping's memory and its best epoch's weights come back as saved; a model file reader
// still reads the checkpoint; a checkpoint without them gives none.
TEST_F(CheckpointFolder, KeepsEarlyStoppingsBestEpochAndWeights) {
  CheckpointState state = state_at(4, random_);
  state.best_epoch = {/*epoch=*/2, /*val_loss=*/0.1 + 0.2, /*epochs_since=*/2};
  std::vector<float> best = values_of(model_.parameters());
  for (float& value : best)
    value = value * 0.5f - 0.25f;
  const std::string path =
      save_checkpoint(folder_.path(), model_, adam_, description_of_run(), state, best);

  Sequential<float> model = untrained_model<float>();
  Adam<float> adam(adam_options());
  ModelDescription description;
  std::vector<std::string> warnings;
  std::vector<float> loaded_best{1.0f};
  const CheckpointState loaded =
      load_checkpoint(path, model, adam, description, warnings, &loaded_best);
  EXPECT_EQ(loaded.best_epoch, state.best_epoch);  // 0.30000000000000004 exactly
  EXPECT_TRUE(same_bits(loaded_best, best));
  EXPECT_TRUE(same_bits(values_of(model.parameters()), values_of(model_.parameters())));
  EXPECT_NO_THROW(load_model<float>(path));

  save_checkpoint(folder_.path(), model_, adam_, description_of_run(), state_at(5, random_));
  EXPECT_EQ(
      load_checkpoint(folder_.path(), model, adam, description, warnings, &loaded_best).best_epoch,
      BestEpoch{});
  EXPECT_TRUE(loaded_best.empty());

  best.pop_back();  // one value short
  EXPECT_THROW(save_checkpoint(folder_.path(), model_, adam_, description_of_run(), state, best),
               std::invalid_argument);
  best.push_back(std::numeric_limits<float>::quiet_NaN());
  EXPECT_THROW(save_checkpoint(folder_.path(), model_, adam_, description_of_run(), state, best),
               std::invalid_argument);

  SafetensorsFile file = read_safetensors(path);
  SafetensorsFile poisoned = file;
  for (TensorRecord& tensor : poisoned.tensors) {
    if (tensor.name == "trainer.best_weights") {
      const float nan = std::numeric_limits<float>::quiet_NaN();
      std::memcpy(tensor.data.data(), &nan, sizeof nan);
    }
  }
  write_bytes(path, encode_safetensors(poisoned.tensors, poisoned.metadata));
  EXPECT_EQ(load_error(path, adam),
            "checkpoint-epoch-0004.safetensors: tensor 'trainer.best_weights' holds a NaN or "
            "infinite value");
  auto metadata = file.metadata;
  metadata["best_epoch"] = R"({"epoch":0,"val_loss":"1","epochs_since":0})";
  write_bytes(path, encode_safetensors(file.tensors, metadata));
  EXPECT_EQ(load_error(path, adam),
            "checkpoint-epoch-0004.safetensors: metadata 'best_epoch': 'epoch' must be a whole "
            "number >= 1");
}

TEST(Checkpoint, ListsCheckpointsByEpochNewestFirst) {
  TemporaryFolder folder;
  EXPECT_TRUE(list_checkpoints(folder.file("missing")).empty());
  for (const char* name :
       {"checkpoint-epoch-9999.safetensors", "checkpoint-epoch-10000.safetensors",
        "checkpoint-epoch-0002.safetensors", ".checkpoint-epoch-0003.safetensors.tmp-1-0",
        "checkpoint-epoch-x.safetensors", "checkpoint-epoch-.safetensors",
        "checkpoint-epoch-0004.safetensors.bak", "model.safetensors"}) {
    write_bytes(folder.file(name), "");
  }
  fs::create_directory(folder.file("checkpoint-epoch-0005.safetensors"));
  EXPECT_EQ(list_checkpoints(folder.path()),
            (std::vector<std::string>{folder.file("checkpoint-epoch-10000.safetensors"),
                                      folder.file("checkpoint-epoch-9999.safetensors"),
                                      folder.file("checkpoint-epoch-0002.safetensors")}));
  EXPECT_EQ(checkpoint_file_name(3), "checkpoint-epoch-0003.safetensors");
  EXPECT_EQ(checkpoint_file_name(12345), "checkpoint-epoch-12345.safetensors");
  EXPECT_EQ(checkpoint_file_name(3, 17), "checkpoint-epoch-0003-batch-000017.safetensors");

  TemporaryFolder inside;
  for (const char* name :
       {"checkpoint-epoch-0004.safetensors", "checkpoint-epoch-0003-batch-000017.safetensors",
        "checkpoint-epoch-0003-batch-000002.safetensors", "checkpoint-epoch-0003.safetensors",
        "checkpoint-epoch-0003-batch-.safetensors", "checkpoint-epoch-0003-batch-x.safetensors"}) {
    write_bytes(inside.file(name), "");
  }
  EXPECT_EQ(list_checkpoints(inside.path()),
            (std::vector<std::string>{inside.file("checkpoint-epoch-0004.safetensors"),
                                      inside.file("checkpoint-epoch-0003-batch-000017.safetensors"),
                                      inside.file("checkpoint-epoch-0003-batch-000002.safetensors"),
                                      inside.file("checkpoint-epoch-0003.safetensors")}));
}

}  // namespace
}  // namespace scratchnet::io
