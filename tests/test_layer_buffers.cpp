// Buffers: state a layer keeps that is saved with the model but never trained (BatchNorm's
// running statistics, which come next). Tested with a layer that exists only here, registered
// as a layer kind at run time so that model files and checkpoints can rebuild it: the model
// lays its buffers out beside the parameters, files and checkpoints keep them bit for bit, no
// optimizer touches them, `info` counts them apart, and a file without them is refused.
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <cstring>
#include <sstream>

#include "info_command.hpp"
#include "scratchnet/init/initializer.hpp"
#include "scratchnet/io/checkpoint.hpp"
#include "scratchnet/io/model_file.hpp"
#include "scratchnet/layers/dense.hpp"
#include "scratchnet/layers/relu.hpp"
#include "scratchnet/losses/mean_squared_error.hpp"
#include "scratchnet/model/layer_kinds.hpp"
#include "scratchnet/model/layer_spec.hpp"
#include "scratchnet/optimizers/adam.hpp"
#include "scratchnet/text/shortest.hpp"
#include "temporary_folder.hpp"

namespace scratchnet {
namespace {

using testing::TemporaryFolder;

// The identity, which while training keeps, per feature, a running mean of its input, as
// BatchNorm1d keeps running_mean:  mean ← (1 − momentum)·mean + momentum·(batch mean),  and
// counts the batches it has seen in an integer, as BatchNorm1d's num_batches_tracked.
template <typename T>
class RunningMean final : public Layer<T> {
 public:
  RunningMean(Index features, double momentum) : features_(features), momentum_(momentum) {}

  LayerDescription describe() const override {
    return {"RunningMean", {{"num_features", std::int64_t{features_}}, {"momentum", momentum_}}};
  }
  std::vector<BufferShape> buffer_shapes() const override {
    return {{"running_mean", {features_}, BufferType::floating},
            {"num_batches_tracked", {}, BufferType::int64}};
  }
  void bind_buffers(T* values, std::int64_t* integers) override {
    mean_ = values;
    batches_ = integers;
  }
  void train(SampleStream) override { training_ = true; }
  void eval() override { training_ = false; }

  ConstMatrixView<T> forward(ConstMatrixView<T> input) override {
    if (training_) {
      for (Index j = 0; j < features_; ++j) {
        T sum = 0;
        for (Index r = 0; r < input.rows(); ++r)
          sum += input(r, j);
        mean_[j] = (T(1) - T(momentum_)) * mean_[j] + T(momentum_) * (sum / T(input.rows()));
      }
      ++*batches_;
    }
    return input;
  }
  ConstMatrixView<T> backward(ConstMatrixView<T> doutput) override { return doutput; }

 private:
  Index features_;
  double momentum_;
  bool training_ = false;
  T* mean_ = nullptr;
  std::int64_t* batches_ = nullptr;
};

// Its row of the table: "running_mean" (momentum 0.1) or "running_mean=M".
void register_running_mean() {
  static const bool registered = [] {
    LayerKind row;
    row.kind = "RunningMean";
    row.token = "running_mean";
    row.parse = [](std::string_view arguments) {
      double momentum = 0.1;
      if (!arguments.empty()) {
        if (!arguments.starts_with('=')) throw std::invalid_argument("expected running_mean=M");
        momentum = std::stod(std::string(arguments.substr(1)));
      }
      return LayerDescription{"RunningMean", {{"momentum", momentum}}};
    };
    row.format = [](const LayerDescription& description) {
      const double momentum = description.get<double>("momentum");
      return momentum == 0.1 ? std::string() : "=" + shortest(momentum);
    };
    row.make_float = [](const LayerDescription& description, const Shape& input) {
      return std::make_unique<RunningMean<float>>(input.elements(),
                                                  description.get<double>("momentum"));
    };
    row.make_double = [](const LayerDescription& description, const Shape& input) {
      return std::make_unique<RunningMean<double>>(input.elements(),
                                                   description.get<double>("momentum"));
    };
    register_layer_kind(std::move(row));
    return true;
  }();
  (void)registered;
}

// RunningMean(3, momentum 0.25), Linear(3, 4), ReLU, Linear(4, 2): built in C++, without a
// spec. The running means see the data before any weight, so they do not depend on training.
template <typename T>
Sequential<T> model_with_buffers(std::uint32_t seed = 3) {
  register_running_mean();
  Sequential<T> model(/*inputs=*/3);
  model.template emplace<RunningMean<T>>(3, 0.25);
  model.template emplace<Dense<T>>(3, 4);
  model.template emplace<ReLU<T>>();
  model.template emplace<Dense<T>>(4, 2);
  Random random(seed);
  initialize(model, Initializer::torch_default, random);
  return model;
}

template <typename T>
Matrix<T> batch(std::uint32_t seed, Index rows = 5, Index columns = 3) {
  Random random(seed);
  Matrix<T> x(rows, columns);
  for (T& value : x.reshaped())
    value = T(random.normal());
  return x;
}

// The running means after `batches` forward passes of `x`, worked out here as the layer's
// comment defines them, in T's arithmetic.
template <typename T>
std::vector<T> running_means(const Matrix<T>& x, int batches, T momentum = T(0.25)) {
  std::vector<T> means(std::size_t(x.cols()), T(0));
  for (int b = 0; b < batches; ++b) {
    for (Index j = 0; j < x.cols(); ++j) {
      T sum = 0;
      for (Index r = 0; r < x.rows(); ++r)
        sum += x(r, j);
      means[j] = (T(1) - momentum) * means[j] + momentum * (sum / T(x.rows()));
    }
  }
  return means;
}

const Matrix<float> kTrainingX = batch<float>(7, 6);
const Matrix<float> kTrainingY = batch<float>(8, 6, 2);

// `steps` full-batch Adam steps in training mode, then evaluation mode.
void train(Sequential<float>& model, Optimizer<float>& optimizer, int steps) {
  MeanSquaredError<float> loss;
  const SampleRandom masks(/*seed=*/0);
  model.train(masks);
  for (int i = 0; i < steps; ++i) {
    model.zero_gradients();
    loss.forward(model.forward(kTrainingX), kTrainingY);
    model.backward_parameters(loss.backward());
    optimizer.step(model.parameters(), model.gradients());
  }
  model.eval();
}

AdamOptions adam_with_decay() {
  AdamOptions options;
  options.lr = 0.01;
  options.weight_decay = 0.1;
  return options;
}

template <typename T>
std::vector<T> values_of(VectorView<T> view) {
  return {view.data(), view.data() + view.size()};
}

template <typename T>
bool same_bits(const std::vector<T>& a, const std::vector<T>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(T)) == 0;
}

TEST(LayerBuffers, LieBesideTheParametersUnderTorchNames) {
  Sequential<double> model = model_with_buffers<double>();
  const std::vector<NamedBuffer> named = model.named_buffers();
  ASSERT_EQ(named.size(), 2u);
  EXPECT_EQ(named[0].name, "0.running_mean");
  EXPECT_EQ(named[0].shape, (std::vector<Index>{3}));
  EXPECT_EQ(named[0].type, BufferType::floating);
  EXPECT_EQ(named[0].offset, 0);
  EXPECT_EQ(named[1].name, "0.num_batches_tracked");
  EXPECT_EQ(named[1].shape, (std::vector<Index>{}));
  EXPECT_EQ(named[1].type, BufferType::int64);
  EXPECT_EQ(named[1].offset, 0);
  EXPECT_EQ(model.buffers().size(), 3);
  EXPECT_EQ(model.integer_buffers().size(), 1u);
  // Buffers are neither parameters nor gradients.
  EXPECT_EQ(model.parameters().size(), 3 * 4 + 4 + 4 * 2 + 2);
  EXPECT_EQ(model.gradients().size(), model.parameters().size());
  EXPECT_EQ(model.named_parameters().front().name, "1.weight");
  EXPECT_EQ(model.slices(0).parameter_count, 0);
  EXPECT_EQ(model.slices(0).buffer_count, 3);
  EXPECT_EQ(model.slices(0).integer_buffer_count, 1);
  EXPECT_EQ(model.slices(3).parameter_offset, 16);
  EXPECT_EQ(model.first_with_parameters(), 1u);

  // The layer writes through its binding, which survives the buffers growing.
  const Matrix<double> x = batch<double>(1);
  const SampleRandom random(1);
  model.train(random);
  model.forward(x);
  model.forward(x);
  EXPECT_TRUE(same_bits(values_of(model.buffers()), running_means(x, 2)));
  EXPECT_EQ(model.integer_buffers()[0], 2);
  model.eval();
  model.forward(x);
  EXPECT_EQ(model.integer_buffers()[0], 2);
}

template <typename T>
void expect_round_trip() {
  TemporaryFolder folder;
  const std::string path = folder.file("model.safetensors");
  Sequential<T> model = model_with_buffers<T>();
  const SampleRandom random(2);
  model.train(random);
  model.forward(batch<T>(1));
  model.forward(batch<T>(2));
  model.eval();
  io::save_model(path, model, io::ModelDescription{});  // no spec: the model writes its own

  const io::SafetensorsFile file = io::read_safetensors(path);
  EXPECT_EQ(file.metadata.at("spec"), "running_mean=0.25,4:relu,2");
  const io::TensorRecord* count = file.find("0.num_batches_tracked");
  ASSERT_NE(count, nullptr);
  EXPECT_EQ(count->dtype, io::Dtype::I64);
  EXPECT_EQ(count->shape, (std::vector<std::int64_t>{}));
  const io::TensorRecord* means = file.find("0.running_mean");
  ASSERT_NE(means, nullptr);
  EXPECT_EQ(means->dtype, sizeof(T) == 4 ? io::Dtype::F32 : io::Dtype::F64);
  EXPECT_TRUE(same_bits(io::tensor_values<T>(*means), values_of(model.buffers())));

  io::LoadedModel<T> loaded = io::load_model<T>(path);
  ASSERT_EQ(loaded.network.size(), model.size());
  for (std::size_t i = 0; i < model.size(); ++i)
    EXPECT_EQ(loaded.network.layer(i).describe(), model.layer(i).describe()) << i;
  EXPECT_TRUE(same_bits(values_of(loaded.network.parameters()), values_of(model.parameters())));
  EXPECT_TRUE(same_bits(values_of(loaded.network.buffers()), values_of(model.buffers())));
  EXPECT_EQ(loaded.network.integer_buffers()[0], 2);
  const Matrix<T> x = batch<T>(9);
  const Matrix<T> expected = model.forward(x);
  EXPECT_EQ(Matrix<T>(loaded.network.forward(x)), expected);
}

TEST(LayerBuffers, AFloatModelBuiltInCxxSavesAndLoadsWhole) {
  expect_round_trip<float>();
}

TEST(LayerBuffers, ADoubleModelBuiltInCxxSavesAndLoadsWhole) {
  expect_round_trip<double>();
}

TEST(LayerBuffers, NoOptimizerTouchesThem) {
  Sequential<float> model = model_with_buffers<float>();
  const std::vector<float> initial = values_of(model.parameters());
  Adam<float> adam(adam_with_decay());
  train(model, adam, 3);
  EXPECT_FALSE(same_bits(values_of(model.parameters()), initial));  // the weights did move
  // The running means are what three forward passes make of the data: neither the update nor
  // the weight decay (which would pull them toward 0) reached them.
  EXPECT_TRUE(same_bits(values_of(model.buffers()), running_means(kTrainingX, 3)));
  EXPECT_EQ(model.integer_buffers()[0], 3);
  for (const OptimizerState<float>& state : adam.state())
    EXPECT_EQ(state.values.size(), model.parameters().size()) << state.name;
}

io::CheckpointState state_at(int epoch, const Random& random) {
  io::CheckpointState state;
  state.run_id = "0123456789abcdef0123456789abcdef";
  state.data = {/*rows=*/6, /*features=*/3, /*hash=*/0x1234};
  state.epoch = epoch;
  state.random_state = random.state();
  return state;
}

TEST(LayerBuffers, ACheckpointResumesThemBitForBit) {
  TemporaryFolder folder;
  Sequential<float> model = model_with_buffers<float>();
  Adam<float> adam(adam_with_decay());
  Random random(5);
  train(model, adam, 2);
  io::save_checkpoint(folder.path(), model, adam, io::ModelDescription{}, state_at(1, random));
  train(model, adam, 3);  // the run that never stopped

  Sequential<float> resumed = model_with_buffers<float>(/*seed=*/99);  // other weights
  Adam<float> resumed_adam(adam_with_decay());
  io::ModelDescription description;
  std::vector<std::string> warnings;
  const io::CheckpointState loaded =
      io::load_checkpoint(folder.path(), resumed, resumed_adam, description, warnings);
  EXPECT_EQ(description.spec, "running_mean=0.25,4:relu,2");
  EXPECT_EQ(resumed.integer_buffers()[0], 2);
  EXPECT_TRUE(same_bits(values_of(resumed.buffers()), running_means(kTrainingX, 2)));
  Random resumed_random(0);
  resumed_random.restore(loaded.random_state);
  train(resumed, resumed_adam, 3);
  EXPECT_TRUE(same_bits(values_of(resumed.parameters()), values_of(model.parameters())));
  EXPECT_TRUE(same_bits(values_of(resumed.buffers()), values_of(model.buffers())));
  EXPECT_EQ(resumed.integer_buffers()[0], 5);
}

TEST(LayerBuffers, AFileWithoutThemOrWithOtherShapesIsRefused) {
  TemporaryFolder folder;
  const std::string path = folder.file("model.safetensors");
  Sequential<double> model = model_with_buffers<double>();
  const auto metadata = io::model_metadata(model, io::ModelDescription{});
  const auto tensors = io::parameter_tensors(model);
  const auto buffers = io::buffer_tensors(model);
  ASSERT_EQ(buffers.size(), 2u);
  const auto error = [&](std::vector<io::TensorRecord> extra) {
    std::vector<io::TensorRecord> all = tensors;
    all.insert(all.end(), extra.begin(), extra.end());
    testing::write_bytes(path, io::encode_safetensors(all, metadata));
    return testing::error_without_folder([&] { io::load_model<double>(path); }, folder);
  };
  EXPECT_EQ(error({buffers[1]}),
            "model.safetensors: tensor '0.running_mean' is missing (the network "
            "running_mean=0.25,4:relu,2 (3 inputs) needs it with shape [3])");
  EXPECT_EQ(error({buffers[0]}),
            "model.safetensors: tensor '0.num_batches_tracked' is missing (the network "
            "running_mean=0.25,4:relu,2 (3 inputs) needs it with shape [])");
  const std::vector<double> four{1, 2, 3, 4};
  EXPECT_EQ(error({io::make_tensor<double>("0.running_mean", {4}, four), buffers[1]}),
            "model.safetensors: tensor '0.running_mean' has shape [4] but the network "
            "running_mean=0.25,4:relu,2 (3 inputs) needs [3]");
  const std::vector<double> one{2};
  EXPECT_EQ(error({buffers[0], io::make_tensor<double>("0.num_batches_tracked", {}, one)}),
            "model.safetensors: tensor '0.num_batches_tracked' has dtype F64; this buffer is a "
            "count, and must be I64");
  EXPECT_EQ(error({buffers[0], buffers[1],
                   io::make_tensor<double>("0.running_var", {3}, std::vector<double>{1, 1, 1})}),
            "model.safetensors: tensor '0.running_var' (shape [3]) is not a parameter or buffer "
            "of the network running_mean=0.25,4:relu,2 (3 inputs)");
  EXPECT_EQ(error(buffers), "no error");
}

TEST(LayerBuffers, InfoCountsThemApartFromTheParameters) {
  TemporaryFolder folder;
  const std::string path = folder.file("model.safetensors");
  Sequential<float> model = model_with_buffers<float>();
  io::save_model(path, model, io::ModelDescription{});
  CLI::App app;
  cli::InfoCommand info(app);
  app.parse(std::vector<std::string>{path, "info"});  // CLI11 takes the arguments reversed
  std::ostringstream out;
  info.run(out);
  const std::string text = out.str();
  EXPECT_NE(text.find(": a model, float32, 26 parameters and 4 buffer values\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("  0  RunningMean(num_features=3, momentum=0.25)  [3]"), std::string::npos)
      << text;
  EXPECT_NE(text.find("  3  Linear(4, 2)"), std::string::npos) << text;
}

}  // namespace
}  // namespace scratchnet
