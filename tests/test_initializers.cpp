// Initialisers: torch's distributions (bounds, means, variances), zero biases where torch users
// zero them, the seed's numpy draws, and determinism.
#include <gtest/gtest.h>

#include <cmath>

#include "scratchnet/init/initializer.hpp"
#include "scratchnet/layers/dense.hpp"
#include "scratchnet/layers/sigmoid.hpp"

namespace scratchnet {
namespace {

Sequential<double> wide_model() {
  Sequential<double> model(/*inputs=*/400);
  model.emplace<Dense<double>>(400, 300, Bias::add);
  model.emplace<Sigmoid<double>>();
  model.emplace<Dense<double>>(300, 10, Bias::add);
  return model;
}

struct Moments {
  double mean, variance, smallest, largest;
};

Moments moments_of(const double* values, Index count) {
  const Eigen::Map<const Eigen::VectorXd> v(values, count);
  const double mean = v.mean();
  return {mean, (v.array() - mean).square().mean(), v.minCoeff(), v.maxCoeff()};
}

// First layer: weight [300, 400] at offset 0, bias [300] right after.
Moments first_weight(Sequential<double>& model) {
  return moments_of(model.parameters().data(), 300 * 400);
}
Moments first_bias(Sequential<double>& model) {
  return moments_of(model.parameters().data() + 300 * 400, 300);
}

// U(−a, a) has variance a²/3; over 120000 draws the sample variance is within 1%.
void expect_uniform(const Moments& m, double bound) {
  EXPECT_GE(m.smallest, -bound);
  EXPECT_LT(m.largest, bound);
  EXPECT_GT(m.largest, 0.99 * bound);
  EXPECT_NEAR(m.mean, 0, 0.01 * bound);
  EXPECT_NEAR(m.variance, bound * bound / 3, 0.01 * bound * bound / 3);
}

void expect_normal(const Moments& m, double deviation) {
  EXPECT_NEAR(m.mean, 0, 0.01 * deviation);
  EXPECT_NEAR(m.variance, deviation * deviation, 0.01 * deviation * deviation);
  EXPECT_GT(m.largest, 3.5 * deviation);  // tails exist: not a uniform in disguise
}

Sequential<double> initialized(Initializer scheme, std::uint32_t seed = 1) {
  Sequential<double> model = wide_model();
  Random random(seed);
  initialize(model, scheme, random);
  return model;
}

TEST(Initializer, TorchDefaultIsLinearsReset) {
  auto model = initialized(Initializer::torch_default);
  expect_uniform(first_weight(model), 1 / std::sqrt(400.0));
  const Moments bias = first_bias(model);
  EXPECT_GE(bias.smallest, -1 / std::sqrt(400.0));
  EXPECT_LT(bias.largest, 1 / std::sqrt(400.0));
  EXPECT_GT(bias.variance, 0);
}

TEST(Initializer, XavierUniform) {
  auto model = initialized(Initializer::xavier_uniform);
  expect_uniform(first_weight(model), std::sqrt(6.0 / (400 + 300)));
  EXPECT_EQ(first_bias(model).smallest, 0);
  EXPECT_EQ(first_bias(model).largest, 0);
}

TEST(Initializer, XavierNormal) {
  auto model = initialized(Initializer::xavier_normal);
  expect_normal(first_weight(model), std::sqrt(2.0 / (400 + 300)));
  EXPECT_EQ(first_bias(model).largest, 0);
}

TEST(Initializer, HeUniform) {
  auto model = initialized(Initializer::he_uniform);
  expect_uniform(first_weight(model), std::sqrt(6.0 / 400));
  EXPECT_EQ(first_bias(model).largest, 0);
}

TEST(Initializer, HeNormal) {
  auto model = initialized(Initializer::he_normal);
  expect_normal(first_weight(model), std::sqrt(2.0 / 400));
  EXPECT_EQ(first_bias(model).largest, 0);
}

TEST(Initializer, SecondLayerUsesItsOwnFans) {
  auto model = initialized(Initializer::torch_default);
  const Index offset = model.named_parameters()[2].offset;  // "2.weight" [10, 300]
  const Moments m = moments_of(model.parameters().data() + offset, 10 * 300);
  EXPECT_LT(m.largest, 1 / std::sqrt(300.0));
  EXPECT_GT(m.largest, 0.9 / std::sqrt(300.0));
}

// np.random.seed(0); np.random.rand(2, 3) = [[0.5488135, 0.71518937, 0.60276338],
//                                            [0.54488318, 0.4236548, 0.64589411]]
// then np.random.rand(3) for the bias = [0.43758721, 0.891773, 0.96366276]
TEST(Initializer, NumpyUniformDrawsAsTheSeedNotebook) {
  Sequential<double> model(/*inputs=*/2);
  auto& dense = model.emplace<Dense<double>>(2, 3, Bias::add);
  Random random(/*seed=*/0);
  initialize(model, Initializer::numpy_uniform, random);
  EXPECT_NEAR(dense.weight()(0, 0), 0.5488135, 1e-8);  // [out, in] = numpy's [in, out]ᵀ
  EXPECT_NEAR(dense.weight()(1, 0), 0.71518937, 1e-8);
  EXPECT_NEAR(dense.weight()(2, 0), 0.60276338, 1e-8);
  EXPECT_NEAR(dense.weight()(0, 1), 0.54488318, 1e-8);
  EXPECT_NEAR(dense.bias()(0), 0.43758721, 1e-8);
  EXPECT_NEAR(dense.bias()(2), 0.96366276, 1e-8);
}

TEST(Initializer, SameSeedSameModelOtherSeedOther) {
  for (Initializer scheme : {Initializer::torch_default, Initializer::he_normal}) {
    EXPECT_EQ(initialized(scheme, 5).parameters(), initialized(scheme, 5).parameters());
    EXPECT_NE(initialized(scheme, 5).parameters(), initialized(scheme, 6).parameters());
  }
}

TEST(Initializer, FloatModelsGetTheSameDrawsRounded) {
  Sequential<float> narrow(/*inputs=*/400);
  narrow.emplace<Dense<float>>(400, 300, Bias::add);
  narrow.emplace<Sigmoid<float>>();
  narrow.emplace<Dense<float>>(300, 10, Bias::add);
  Random random(/*seed=*/1);
  initialize(narrow, Initializer::he_uniform, random);
  EXPECT_EQ(narrow.parameters(), initialized(Initializer::he_uniform).parameters().cast<float>());
}

TEST(Initializer, NamesRoundTripAndUnknownNamesAreRejected) {
  for (Initializer scheme :
       {Initializer::torch_default, Initializer::xavier_uniform, Initializer::xavier_normal,
        Initializer::he_uniform, Initializer::he_normal, Initializer::numpy_uniform}) {
    EXPECT_EQ(parse_initializer(to_string(scheme)), scheme);
  }
  try {
    parse_initializer("glorot");
    FAIL() << "accepted an unknown name";
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("'glorot'"), std::string::npos);
    EXPECT_NE(std::string(error.what()).find("he_normal"), std::string::npos);
  }
}

}  // namespace
}  // namespace scratchnet
