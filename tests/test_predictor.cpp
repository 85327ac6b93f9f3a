// The frozen model for predictions: one sample through the input-major weights gives the model's
// outputs, never reads the weights of a zero input, and does not depend on the thread count.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

#include "scratchnet/init/initializer.hpp"
#include "scratchnet/kernels/matmul.hpp"
#include "scratchnet/kernels/thread_pool.hpp"
#include "scratchnet/layers/dense.hpp"
#include "scratchnet/layers/relu.hpp"
#include "scratchnet/layers/tanh.hpp"
#include "scratchnet/model/predictor.hpp"

namespace scratchnet {
namespace {

// Sizes that are not whole vectors: blocks of 4, 2 and 1 vectors, with a partial last block.
template <typename T>
Sequential<T> small_network(std::uint64_t seed) {
  Sequential<T> model(/*inputs=*/45);
  model.template emplace<Dense<T>>(45, 70);
  model.template emplace<ReLU<T>>();
  model.template emplace<Dense<T>>(70, 33, Bias::none);
  model.template emplace<Tanh<T>>();
  model.template emplace<Dense<T>>(33, 10);
  Random random(seed);
  initialize(model, Initializer::torch_default, random);
  return model;
}

// Samples with about half their inputs zero (some of them -0), as an image's background.
template <typename T>
Matrix<T> sparse_samples(Index rows, Index columns, std::uint64_t seed) {
  Random random(seed);
  Matrix<T> samples(rows, columns);
  for (Index i = 0; i < rows; ++i) {
    for (Index j = 0; j < columns; ++j) {
      const double u = random.uniform();
      samples(i, j) = u < 0.4 ? T(0) : u < 0.5 ? T(-0.0) : T(4 * random.uniform() - 2);
    }
  }
  return samples;
}

// The network in long double, layer by layer from the model's own parameters.
template <typename T>
Eigen::Matrix<long double, 1, Eigen::Dynamic> reference_forward(Sequential<T>& model,
                                                                const Matrix<T>& sample) {
  Eigen::Matrix<long double, 1, Eigen::Dynamic> activation = sample.template cast<long double>();
  for (std::size_t i = 0; i < model.size(); ++i) {
    Layer<T>& layer = model.layer(i);
    if (auto* dense = dynamic_cast<Dense<T>*>(&layer)) {
      Eigen::Matrix<long double, 1, Eigen::Dynamic> next =
          activation * dense->weight().template cast<long double>().transpose();
      if (dense->has_bias()) next += dense->bias().template cast<long double>().transpose();
      activation = next;
    } else if (layer.name() == "ReLU") {
      activation = activation.cwiseMax(0.0L);
    } else {
      activation = activation.array().tanh().matrix();
    }
  }
  return activation;
}

template <typename T>
void expect_matches_reference_on_every_kernel(T tolerance) {
  const Matrix<T> samples = sparse_samples<T>(20, 45, /*seed=*/3);
  for (const char* kernel : {"portable", "avx2", "avx512", "neon"}) {
    const std::string widest = kernels::matmul_kernel();
    if (!kernels::use_matmul_kernel(kernel)) continue;
    Sequential<T> model = small_network<T>(/*seed=*/11);
    std::vector<Eigen::Matrix<long double, 1, Eigen::Dynamic>> expected;
    for (Index i = 0; i < samples.rows(); ++i)
      expected.push_back(reference_forward(model, Matrix<T>(samples.row(i))));
    Predictor<T> predictor(std::move(model));
    for (Index i = 0; i < samples.rows(); ++i) {
      const Matrix<T> output = predictor.forward(samples.row(i));
      ASSERT_EQ(output.cols(), 10);
      for (Index j = 0; j < 10; ++j) {
        EXPECT_NEAR(double(output(0, j)), double(expected[std::size_t(i)](j)), double(tolerance))
            << kernel << ", sample " << i << ", output " << j;
      }
    }
    kernels::use_matmul_kernel(widest);
  }
}

TEST(Predictor, OneSampleGivesTheNetworksOutputsOnEveryKernel) {
  expect_matches_reference_on_every_kernel<float>(1e-5f);
  expect_matches_reference_on_every_kernel<double>(1e-13);
}

TEST(Predictor, OneSampleAgreesWithTheModelsForwardPass) {
  Sequential<float> model = small_network<float>(/*seed=*/5);
  const Matrix<float> samples = sparse_samples<float>(30, 45, /*seed=*/6);
  const Matrix<float> expected = model.forward(samples);
  Predictor<float> predictor(std::move(model));
  for (Index i = 0; i < samples.rows(); ++i) {
    const Matrix<float> output = predictor.forward(samples.row(i));
    for (Index j = 0; j < output.cols(); ++j)
      EXPECT_NEAR(output(0, j), expected(i, j), 2e-6f) << "sample " << i << ", output " << j;
  }
}

// The weights of a zero input are never read: made infinite or NaN, they change no bit.
TEST(Predictor, ZeroInputsSkipTheirWeights) {
  const Matrix<float> samples = sparse_samples<float>(10, 45, /*seed=*/8);
  for (Index i = 0; i < samples.rows(); ++i) {
    const Matrix<float> sample = samples.row(i);
    Sequential<float> zeroed = small_network<float>(/*seed=*/9);
    Sequential<float> poisoned = small_network<float>(/*seed=*/9);
    auto& zeroed_first = dynamic_cast<Dense<float>&>(zeroed.layer(0));
    auto& poisoned_first = dynamic_cast<Dense<float>&>(poisoned.layer(0));
    for (Index p = 0; p < sample.cols(); ++p) {
      if (sample(0, p) != 0.0f) continue;
      zeroed_first.weight().col(p).setZero();
      poisoned_first.weight().col(p).setConstant(std::numeric_limits<float>::infinity());
      poisoned_first.weight()(p % 70, p) = std::numeric_limits<float>::quiet_NaN();
    }
    Predictor<float> from_zeroed(std::move(zeroed));
    Predictor<float> from_poisoned(std::move(poisoned));
    const Matrix<float> expected = from_zeroed.forward(sample);
    const Matrix<float> output = from_poisoned.forward(sample);
    ASSERT_TRUE(output.allFinite()) << "sample " << i;
    EXPECT_EQ(0, std::memcmp(output.data(), expected.data(), sizeof(float) * 10)) << "sample " << i;
  }
}

TEST(Predictor, AllZeroInputGivesTheBiasAndNaNPassesThrough) {
  Sequential<float> model(/*inputs=*/20);
  auto& dense = model.emplace<Dense<float>>(20, 37);
  Random random(1);
  initialize(model, Initializer::torch_default, random);
  const Eigen::VectorXf bias = dense.bias();
  Predictor<float> predictor(std::move(model));
  Matrix<float> sample = Matrix<float>::Zero(1, 20);
  Matrix<float> output = predictor.forward(sample);
  EXPECT_EQ(Eigen::VectorXf(output.row(0).transpose()), bias);
  sample(0, 13) = std::numeric_limits<float>::quiet_NaN();
  output = predictor.forward(sample);
  EXPECT_TRUE(output.array().isNaN().all());
}

// A first layer of 300 × 230 weights, enough to be split between the pool's threads (smaller
// layers stay on one), with a partial last block; then the small network's sizes.
Sequential<float> network_split_between_threads(std::uint64_t seed) {
  Sequential<float> model(/*inputs=*/300);
  model.emplace<Dense<float>>(300, 230);
  model.emplace<ReLU<float>>();
  model.emplace<Dense<float>>(230, 33, Bias::none);
  model.emplace<Tanh<float>>();
  model.emplace<Dense<float>>(33, 10);
  Random random(seed);
  initialize(model, Initializer::torch_default, random);
  return model;
}

TEST(Predictor, ThreadsChangeNoBit) {
  for (const Index inputs : {45, 300}) {
    const auto network = [&] {
      return inputs == 45 ? small_network<float>(/*seed=*/2) : network_split_between_threads(2);
    };
    const Matrix<float> samples = sparse_samples<float>(12, inputs, /*seed=*/4);
    Predictor<float> alone(network());
    Predictor<float> shared(network());
    kernels::ThreadPool pool(2);
    shared.use_threads(&pool);
    for (Index i = 0; i < samples.rows(); ++i) {
      const Matrix<float> expected = alone.forward(samples.row(i));
      const Matrix<float> output = shared.forward(samples.row(i));
      EXPECT_EQ(0, std::memcmp(output.data(), expected.data(), sizeof(float) * 10))
          << inputs << " inputs, sample " << i;
    }
  }
}

TEST(Predictor, BatchesRunTheModelsForwardPass) {
  const Matrix<float> samples = sparse_samples<float>(9, 45, /*seed=*/7);
  Sequential<float> model = small_network<float>(/*seed=*/12);
  const Matrix<float> expected = model.forward(samples);
  Predictor<float> predictor(std::move(model));
  const Matrix<float> output = predictor.forward(samples);
  EXPECT_EQ(0, std::memcmp(output.data(), expected.data(), sizeof(float) * expected.size()));
}

TEST(Predictor, RejectsTheWrongNumberOfFeatures) {
  Predictor<float> predictor(small_network<float>(/*seed=*/1));
  EXPECT_THROW(predictor.forward(Matrix<float>::Zero(1, 44)), std::invalid_argument);
  EXPECT_THROW(predictor.forward(Matrix<float>::Zero(3, 46)), std::invalid_argument);
}

}  // namespace
}  // namespace scratchnet
