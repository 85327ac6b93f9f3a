// BatchNorm1d and BatchNorm2d: against torch (tools/make_torch_batchnorm_fixtures.py), against
// finite differences in both modes, in float, on any number of threads, their starting values
// under every initializer, and the shapes and batches they refuse.
#include "scratchnet/layers/batch_norm.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <functional>

#include "fixtures.hpp"
#include "gradient_check.hpp"
#include "scratchnet/init/initializer.hpp"
#include "scratchnet/io/model_file.hpp"
#include "scratchnet/io/safetensors.hpp"
#include "scratchnet/layers/dense.hpp"
#include "scratchnet/layers/sigmoid.hpp"
#include "temporary_folder.hpp"

namespace scratchnet {
namespace {

using nlohmann::json;
using testing::load_fixture;
using testing::matrices_near;
using testing::matrix_from_json;

constexpr double kTorchTolerance = 1e-10;

Shape shape_of(const json& dims) {
  return Shape(dims.get<std::vector<Index>>());
}

Matrix<double> column(const json& values) {
  const auto list = values.get<std::vector<double>>();
  return Eigen::Map<const Matrix<double>>(list.data(), Index(list.size()), 1);
}

template <typename T>
Matrix<double> column(const T* values, Index count) {
  Matrix<double> result(count, 1);
  for (Index i = 0; i < count; ++i)
    result(i, 0) = double(values[i]);
  return result;
}

// A model holding one BatchNorm for samples of `shape`.
template <typename T>
Sequential<T> batch_norm_model(const Shape& shape) {
  Sequential<T> model(shape);
  model.template emplace<BatchNorm<T>>(shape[0], shape.rank());
  return model;
}

// Every number of every step of every torch case, in T, within tolerance·max(1, |expected|).
template <typename T>
void expect_torch_cases(double tolerance) {
  const json fixture = load_fixture("torch_batchnorm.json");
  ASSERT_FALSE(fixture["cases"].empty());
  const SampleRandom random(/*seed=*/0);
  for (const json& test : fixture["cases"]) {
    SCOPED_TRACE(test["name"].get<std::string>());
    const Shape shape = shape_of(test["sample_shape"]);
    const Index channels = shape[0];
    Sequential<T> model = batch_norm_model<T>(shape);
    EXPECT_EQ(model.layer(0).name(), test["kind"].get<std::string>());
    const auto set = [](T* to, const json& values) {
      for (std::size_t i = 0; i < values.size(); ++i)
        to[i] = T(values[i].get<double>());
    };
    set(model.parameters().data(), test["weight"]);
    set(model.parameters().data() + channels, test["bias"]);
    set(model.buffers().data(), test["running_mean"]);
    set(model.buffers().data() + channels, test["running_var"]);
    int step_number = 0;
    for (const json& step : test["steps"]) {
      SCOPED_TRACE("step " + std::to_string(++step_number));
      if (step["training"].get<bool>()) {
        model.train(random);
      } else {
        model.eval();
      }
      model.zero_gradients();
      const Matrix<T> input = matrix_from_json(step["input"]).cast<T>();
      const Matrix<T> doutput = matrix_from_json(step["doutput"]).cast<T>();
      const auto near = [&](const Matrix<double>& actual, const json& expected) {
        const Matrix<double> wanted =
            expected.is_array() && !expected.empty() && expected[0].is_array()
                ? matrix_from_json(expected)
                : column(expected);
        const double scale = std::max(1.0, wanted.cwiseAbs().maxCoeff());
        return matrices_near(actual, wanted, tolerance * scale);
      };
      EXPECT_TRUE(near(Matrix<T>(model.forward(input)).template cast<double>(), step["output"]));
      EXPECT_TRUE(near(Matrix<T>(model.backward(doutput)).template cast<double>(), step["dinput"]));
      EXPECT_TRUE(near(column(model.gradients().data(), channels), step["dweight"]));
      EXPECT_TRUE(near(column(model.gradients().data() + channels, channels), step["dbias"]));
      EXPECT_TRUE(near(column(model.buffers().data(), channels), step["running_mean"]));
      EXPECT_TRUE(near(column(model.buffers().data() + channels, channels), step["running_var"]));
      EXPECT_EQ(model.integer_buffers()[0], step["num_batches_tracked"].get<std::int64_t>());
    }
  }
}

TEST(BatchNorm, MatchesTorchInDouble) {
  expect_torch_cases<double>(kTorchTolerance);
}

TEST(BatchNorm, MatchesTorchInFloat) {
  expect_torch_cases<float>(1e-4);
}

// L = Σ model(input) ⊙ R against central differences: in training mode through the batch's
// statistics, in evaluation mode through (random) running ones. A tensor named in `zero` has a
// true gradient of 0 (a bias just before a BatchNorm in training mode: the batch's mean takes
// away any shift), so its relative error is noise over noise; it must stay within the
// difference's error bound all the same.
void expect_gradients_match(Sequential<double>& model, Index batch, bool training,
                            std::uint32_t seed, const std::string& zero = "") {
  Random random(seed);
  testing::randomize_parameters(model, random);
  for (double& value : model.buffers())
    value = 0.5 + random.uniform();  // running means and variances away from 0
  const SampleRandom masks(seed);
  if (training) {
    model.train(masks);
  } else {
    model.eval();
  }
  const Matrix<double> input = testing::random_matrix(batch, model.inputs(), random, -2, 2);
  const auto errors = testing::check_model_gradients(model, input, random);
  ASSERT_EQ(errors.size(), 1 + model.named_parameters().size());
  for (const auto& [tensor, error, bound_ratio] : errors) {
    if (tensor != zero) {
      EXPECT_LT(error, 1e-7) << "gradient of " << tensor;
    }
    EXPECT_LE(bound_ratio, 1) << "gradient of " << tensor;
  }
}

// Batches of n >= 3 values per channel: with n = 2 every x̂ is ±d/√(d² + eps), flat in x, and
// dinput is eps-small, below the differences' noise (the torch cases check n = 2 exactly).
TEST(BatchNorm, GradientsMatchFiniteDifferencesInBothModes) {
  const std::vector<std::pair<Shape, Index>> cases = {{Shape{4}, 5},       {Shape{3}, 3},
                                                      {Shape{3, 6}, 2},    {Shape{2, 5}, 1},
                                                      {Shape{3, 3, 5}, 2}, {Shape{2, 4, 3}, 1}};
  std::uint32_t seed = 1;
  for (const auto& [shape, batch] : cases) {
    for (const bool training : {true, false}) {
      SCOPED_TRACE(shape.text() + " batch " + std::to_string(batch) +
                   (training ? " training" : " evaluation"));
      Sequential<double> model = batch_norm_model<double>(shape);
      expect_gradients_match(model, batch, training, seed++);
    }
  }
}

TEST(BatchNorm, GradientsMatchFiniteDifferencesBetweenOtherLayers) {
  for (const bool training : {true, false}) {
    SCOPED_TRACE(training ? "training" : "evaluation");
    Sequential<double> model(/*inputs=*/3);
    model.emplace<Dense<double>>(3, 5);
    model.emplace<BatchNorm<double>>(5, 1);
    model.emplace<Sigmoid<double>>();
    model.emplace<Dense<double>>(5, 2);
    expect_gradients_match(model, /*batch=*/6, training, /*seed=*/40, training ? "0.bias" : "");
    if (training) {  // Linear(3, 5)'s bias gradient: 0 but for rounding
      EXPECT_LT(model.gradients().segment(15, 5).cwiseAbs().maxCoeff(), 1e-14);
    }
  }
}

TEST(BatchNorm, BackwardParametersAddsWhatBackwardAdds) {
  for (const bool training : {true, false}) {
    Sequential<double> model = batch_norm_model<double>(Shape{3, 4, 5});
    Random random(7);
    testing::randomize_parameters(model, random);
    const SampleRandom masks(0);
    if (training) model.train(masks);
    const Matrix<double> input = testing::random_matrix(3, 60, random);
    const Matrix<double> doutput = testing::random_matrix(3, 60, random);
    model.zero_gradients();
    model.forward(input);
    model.backward(doutput);
    const Matrix<double> full = Eigen::Map<const Matrix<double>>(model.gradients().data(), 6, 1);
    model.zero_gradients();
    model.forward(input);
    model.backward_parameters(doutput);
    EXPECT_EQ(Matrix<double>(Eigen::Map<const Matrix<double>>(model.gradients().data(), 6, 1)),
              full);
  }
}

TEST(BatchNorm, EvaluationLeavesTheRunningStatisticsAlone) {
  Sequential<double> model = batch_norm_model<double>(Shape{2, 3});
  Random random(3);
  const Matrix<double> input = testing::random_matrix(4, 6, random);
  model.forward(input);  // layers start in evaluation mode
  EXPECT_EQ(model.integer_buffers()[0], 0);
  EXPECT_EQ(Matrix<double>(Eigen::Map<const Matrix<double>>(model.buffers().data(), 1, 4)),
            (Matrix<double>(1, 4) << 0, 0, 1, 1).finished());
  // y = γ (x − 0)/√(1 + eps) + β with γ = 1, β = 0.
  EXPECT_TRUE(matrices_near(model.forward(input), input / std::sqrt(1 + 1e-5), 1e-15));
  const SampleRandom masks(0);
  model.train(masks);
  model.forward(input);
  model.forward(input);
  EXPECT_EQ(model.integer_buffers()[0], 2);
}

// The same bits from one thread as from a pool of 2 or 3: outputs, gradients and buffers.
template <typename T>
std::vector<std::vector<T>> results_on(kernels::ThreadPool* pool, const Shape& shape, Index batch) {
  Sequential<T> model = batch_norm_model<T>(shape);
  model.use_threads(pool);
  Random random(11);
  for (T& value : model.parameters())
    value = T(random.uniform());
  const Matrix<T> input = testing::random_matrix(batch, shape.elements(), random).cast<T>();
  const Matrix<T> doutput = testing::random_matrix(batch, shape.elements(), random).cast<T>();
  const auto flat = [](ConstMatrixView<T> view) {
    return std::vector<T>(view.data(), view.data() + view.size());
  };
  std::vector<std::vector<T>> results;
  const SampleRandom masks(0);
  for (const bool training : {true, false}) {
    if (training) {
      model.train(masks);
    } else {
      model.eval();
    }
    results.push_back(flat(model.forward(input)));
    results.push_back(flat(model.backward(doutput)));
  }
  results.emplace_back(model.gradients().begin(), model.gradients().end());
  results.emplace_back(model.buffers().begin(), model.buffers().end());
  return results;
}

// LeNet's first convolution's output, and flat samples of more features than one part takes:
// both large enough to be shared between threads.
template <typename T>
void expect_same_bits_on_any_thread_count(const Shape& shape, Index batch) {
  SCOPED_TRACE(shape.text());
  const auto alone = results_on<T>(nullptr, shape, batch);
  for (const int threads : {2, 3}) {
    kernels::ThreadPool pool(threads);
    const auto shared = results_on<T>(&pool, shape, batch);
    ASSERT_EQ(shared.size(), alone.size());
    for (std::size_t i = 0; i < alone.size(); ++i) {
      ASSERT_EQ(shared[i].size(), alone[i].size());
      EXPECT_EQ(std::memcmp(shared[i].data(), alone[i].data(), alone[i].size() * sizeof(T)), 0)
          << "result " << i << " on " << threads << " threads";
    }
  }
}

TEST(BatchNorm, SameBitsOnAnyThreadCount) {
  expect_same_bits_on_any_thread_count<float>(Shape{6, 28, 28}, 8);
  expect_same_bits_on_any_thread_count<double>(Shape{6, 28, 28}, 8);
  expect_same_bits_on_any_thread_count<float>(Shape{200}, 128);
  expect_same_bits_on_any_thread_count<double>(Shape{200}, 128);
}

TEST(BatchNorm, DescribesItselfAsTorch) {
  const LayerDescription two_d = BatchNorm<float>(16, 3).describe();
  EXPECT_EQ(two_d.text(),
            "BatchNorm2d(num_features=16, eps=1e-05, momentum=0.1, affine=True, "
            "track_running_stats=True)");
  EXPECT_EQ(BatchNorm<double>(4, 1).describe().kind, "BatchNorm1d");
  EXPECT_EQ(BatchNorm<double>(4, 2).describe().kind, "BatchNorm1d");
  const Sequential<float> model = batch_norm_model<float>(Shape{3, 5});
  const std::vector<NamedBuffer> buffers = model.named_buffers();
  ASSERT_EQ(buffers.size(), 3u);
  EXPECT_EQ(buffers[0].name, "0.running_mean");
  EXPECT_EQ(buffers[1].name, "0.running_var");
  EXPECT_EQ(buffers[2].name, "0.num_batches_tracked");
  EXPECT_EQ(buffers[2].shape, std::vector<Index>{});
  EXPECT_EQ(buffers[2].type, BufferType::int64);
  EXPECT_EQ(model.named_parameters()[0].name, "0.weight");
  EXPECT_EQ(model.named_parameters()[1].name, "0.bias");
}

// The buffers as a model file holds them: num_batches_tracked a 0-dim I64 tensor, as torch's.
TEST(BatchNorm, BuffersAreWrittenAsTorchKeepsThem) {
  Sequential<float> model = batch_norm_model<float>(Shape{2, 3, 3});
  Random random(9);
  const SampleRandom masks(0);
  model.train(masks);
  for (int step = 0; step < 3; ++step)
    model.forward(testing::random_matrix(4, 18, random).cast<float>());
  testing::TemporaryFolder folder;
  const std::string path = folder.file("buffers.safetensors");
  testing::write_bytes(path, io::encode_safetensors(io::buffer_tensors(model), {}));
  const io::SafetensorsFile file = io::read_safetensors(path);
  const io::TensorRecord* count = file.find("0.num_batches_tracked");
  ASSERT_NE(count, nullptr);
  EXPECT_EQ(count->dtype, io::Dtype::I64);
  EXPECT_EQ(count->shape, std::vector<std::int64_t>{});
  ASSERT_EQ(count->data.size(), 8u);
  std::int64_t value = 0;
  std::memcpy(&value, count->data.data(), 8);  // little-endian, as this machine
  EXPECT_EQ(value, 3);
  const io::TensorRecord* variance = file.find("0.running_var");
  ASSERT_NE(variance, nullptr);
  EXPECT_EQ(variance->shape, std::vector<std::int64_t>{2});
  EXPECT_EQ(io::tensor_values<float>(*variance),
            std::vector<float>(model.buffers().data() + 2, model.buffers().data() + 4));
}

// Dense(4, 3), BatchNorm1d(3), Dense(3, 2), or the same without the BatchNorm.
Sequential<double> network(bool with_batch_norm) {
  Sequential<double> model(/*inputs=*/4);
  model.emplace<Dense<double>>(4, 3);
  if (with_batch_norm) model.emplace<BatchNorm<double>>(3, 1);
  model.emplace<Dense<double>>(3, 2);
  return model;
}

TEST(BatchNorm, StartsAsTorchResetsItUnderEveryInitializer) {
  const Sequential<double> fresh = network(true);
  const auto values = [](Sequential<double>& model, std::size_t layer, const std::string& name) {
    const ParameterView<double> view = model.parameter(layer, name);
    return std::vector<double>(view.values, view.values + view.shape[0]);
  };
  for (const Initializer scheme :
       {Initializer::torch_default, Initializer::xavier_uniform, Initializer::xavier_normal,
        Initializer::he_uniform, Initializer::he_normal, Initializer::numpy_uniform}) {
    SCOPED_TRACE(to_string(scheme));
    Sequential<double> model = network(true);
    // Created with its starting values, before any initializer.
    EXPECT_EQ(values(model, 1, "weight"), std::vector<double>(3, 1.0));
    model.parameters().setConstant(7);
    Random random(5), plain_random(5);
    initialize(model, scheme, random);
    EXPECT_EQ(values(model, 1, "weight"), std::vector<double>(3, 1.0));
    EXPECT_EQ(values(model, 1, "bias"), std::vector<double>(3, 0.0));
    EXPECT_EQ(std::vector<double>(model.buffers().begin(), model.buffers().end()),
              (std::vector<double>{0, 0, 0, 1, 1, 1}));
    EXPECT_EQ(model.integer_buffers()[0], 0);
    // The Linear layers get the draws they get without the BatchNorm between them.
    Sequential<double> plain = network(false);
    initialize(plain, scheme, plain_random);
    EXPECT_EQ(values(model, 0, "weight"), values(plain, 0, "weight"));
    EXPECT_EQ(values(model, 0, "bias"), values(plain, 0, "bias"));
    EXPECT_EQ(values(model, 2, "weight"), values(plain, 1, "weight"));
    EXPECT_EQ(values(model, 2, "bias"), values(plain, 1, "bias"));
    EXPECT_EQ(random.uniform(), plain_random.uniform());  // and as many of them
  }
}

std::string error_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const std::invalid_argument& error) {
    return error.what();
  }
  return "no error";
}

TEST(BatchNorm, RefusesBadSizesShapesAndBatchesWithAClearMessage) {
  EXPECT_EQ(error_of([] { BatchNorm<float>(0, 3); }), "BatchNorm needs at least 1 feature, got 0");
  EXPECT_EQ(error_of([] { BatchNorm<float>(3, 4); }),
            "BatchNorm takes samples of rank 1 or 2 (BatchNorm1d) or 3 (BatchNorm2d), got rank 4");
  EXPECT_EQ(error_of([] { BatchNorm<float>(3, 0); }),
            "BatchNorm takes samples of rank 1 or 2 (BatchNorm1d) or 3 (BatchNorm2d), got rank 0");
  EXPECT_EQ(error_of([] {
              BatchNorm<float>(3, 3).output_shape(Shape{3, 4});
            }),
            "BatchNorm2d built for samples [channels, height, width] got samples of shape [3, 4]");
  EXPECT_EQ(error_of([] {
              BatchNorm<float>(3, 1).output_shape(Shape{3, 4});
            }),
            "BatchNorm1d built for samples [features] got samples of shape [3, 4]");
  EXPECT_EQ(error_of([] {
              BatchNorm<float>(3, 3).output_shape(Shape{2, 4, 4});
            }),
            "BatchNorm2d expects 3 channels, got samples of shape [2, 4, 4]");
  EXPECT_EQ(BatchNorm<float>(3, 3).output_shape(Shape{3, 5, 7}), (Shape{3, 5, 7}));
  EXPECT_EQ(error_of([] {
              Sequential<double> model(Shape{6, 5});
              model.emplace<BatchNorm<double>>(5, 2);
            }),
            "BatchNorm1d expects 5 channels, got samples of shape [6, 5]");

  // One value per channel cannot be normalised while training; in evaluation it can.
  const SampleRandom masks(0);
  for (const Shape& shape : {Shape{3}, Shape{3, 1}, Shape{3, 1, 1}}) {
    Sequential<double> model = batch_norm_model<double>(shape);
    const Matrix<double> one_sample = Matrix<double>::Ones(1, 3);
    EXPECT_EQ(model.forward(one_sample).rows(), 1);
    model.train(masks);
    std::string expected_shape = "[1, 3";
    for (std::size_t axis = 1; axis < shape.rank(); ++axis)
      expected_shape += ", 1";
    EXPECT_EQ(error_of([&] { model.forward(one_sample); }),
              "BatchNorm: expected more than 1 value per channel when training, got input of "
              "shape " +
                  expected_shape + "]");
    EXPECT_EQ(model.integer_buffers()[0], 0);
  }
  // One sample of several values per channel is enough.
  Sequential<double> model = batch_norm_model<double>(Shape{3, 2});
  model.train(masks);
  EXPECT_TRUE(Matrix<double>(model.forward(Matrix<double>::Random(1, 6))).allFinite());
}

}  // namespace
}  // namespace scratchnet
