// Stage 1 number for number: train_xor against the seed notebook's numpy code run for several
// seeds and settings (tests/fixtures/xor_numpy.json, from tools/make_xor_fixtures.py), on both
// of its paths (SmallNetwork and the generic Sequential one), and those paths against each other
// bit for bit. (tests/test_small_network.cpp holds SmallNetwork to Sequential on other networks.)
#include <gtest/gtest.h>

#include <string>

#include "fixtures.hpp"
#include "scratchnet/layers/dense.hpp"
#include "scratchnet/text/numpy_print.hpp"
#include "scratchnet/xor.hpp"

namespace scratchnet {
namespace {

using testing::matrices_near;
using testing::matrix_from_json;

constexpr double kTolerance = 1e-9;

class XorAgainstNumpy : public ::testing::TestWithParam<std::size_t> {};

XorOptions options_of(const nlohmann::json& expected) {
  XorOptions options;
  options.seed = expected["seed"].get<std::uint32_t>();
  options.iterations = expected["iterations"].get<std::int64_t>();
  options.hidden = expected["hidden"].get<Index>();
  options.learning_rate = expected["lr"].get<double>();
  return options;
}

void expect_numpys_run(const XorRun& run, const nlohmann::json& expected) {
  // The initial draw is integer arithmetic on the same generator: exact.
  EXPECT_TRUE(
      matrices_near(run.initial_weights1, matrix_from_json(expected["initial"]["weights1"]), 0));
  EXPECT_TRUE(
      matrices_near(run.initial_weights2, matrix_from_json(expected["initial"]["weights2"]), 0));
  EXPECT_TRUE(matrices_near(run.final_weights1, matrix_from_json(expected["final"]["weights1"]),
                            kTolerance));
  EXPECT_TRUE(matrices_near(run.final_weights2, matrix_from_json(expected["final"]["weights2"]),
                            kTolerance));
  EXPECT_TRUE(matrices_near(run.output, matrix_from_json(expected["output"]), kTolerance));
  EXPECT_NEAR(run.loss, expected["loss"].get<double>(), kTolerance);
  EXPECT_EQ(numpy_str(run.output), expected["printed"].get<std::string>());
}

// train_xor: SmallNetwork, whatever the hidden size.
TEST_P(XorAgainstNumpy, SameWeightsOutputAndLoss) {
  const nlohmann::json fixture = testing::load_fixture("xor_numpy.json");
  const auto& expected = fixture["cases"].at(GetParam());
  SCOPED_TRACE("seed " + expected["seed"].dump());
  expect_numpys_run(train_xor(options_of(expected)), expected);
}

// The generic path on every case, so that both paths are held to numpy.
TEST_P(XorAgainstNumpy, SequentialPathToo) {
  const nlohmann::json fixture = testing::load_fixture("xor_numpy.json");
  const auto& expected = fixture["cases"].at(GetParam());
  SCOPED_TRACE("seed " + expected["seed"].dump());
  expect_numpys_run(train_xor_sequential(options_of(expected)), expected);
}

INSTANTIATE_TEST_SUITE_P(SeedNotebook, XorAgainstNumpy, ::testing::Range<std::size_t>(0, 8));

TEST(Xor, FixtureCoversEveryCase) {
  EXPECT_EQ(testing::load_fixture("xor_numpy.json")["cases"].size(), 8u);
}

TEST(Xor, NetworkHasTheSeedsShape) {
  Random random(/*seed=*/0);
  Sequential<double> network = make_xor_network(/*hidden=*/4, random);
  ASSERT_EQ(network.size(), 4u);
  EXPECT_EQ(network.layer(0).name(), "Linear");
  EXPECT_EQ(network.layer(1).name(), "Sigmoid");
  EXPECT_EQ(network.layer(2).name(), "Linear");
  EXPECT_EQ(network.layer(3).name(), "Sigmoid");
  EXPECT_EQ(network.parameters().size(), 2 * 4 + 4 * 1);  // no biases
  EXPECT_EQ(network.outputs(), 1);
}

TEST(Xor, SameSeedSameRunBitForBit) {
  XorOptions options;
  options.seed = 99;
  const XorRun first = train_xor(options);
  const XorRun second = train_xor(options);
  EXPECT_EQ(first.final_weights1, second.final_weights1);
  EXPECT_EQ(first.final_weights2, second.final_weights2);
  EXPECT_EQ(first.loss, second.loss);
}

TEST(Xor, RejectsZeroIterations) {
  XorOptions options;
  options.iterations = 0;
  EXPECT_THROW(train_xor(options), std::invalid_argument);
  EXPECT_THROW(train_xor_sequential(options), std::invalid_argument);
}

// Settings for the bit-for-bit comparisons: the seed's, one step, long runs, and steps large
// enough to saturate the sigmoids and to send pre-activations past ±512, where the AVX-512 exp
// hands its lanes to the scalar one; the seed's hidden size and others.
struct XorCase {
  std::uint32_t seed;
  std::int64_t iterations;
  double learning_rate;
  Index hidden = 4;
};
const XorCase kXorCases[] = {
    {0, 1500, 1.0},    {0, 1, 1.0},       {42, 20000, 1.0},  {4294967295u, 3000, 1.0},
    {9, 700, 0.25},    {5, 400, 7.5},     {13, 200, 60.0},   {17, 50, 1e4},
    {23, 30, 1e9},     {1, 2000, 1.0, 1}, {2, 2000, 1.0, 3}, {3, 2000, 1.0, 5},
    {4, 500, 2.0, 17}, {6, 40, 1e6, 9},
};

std::string describe(const XorCase& setting) {
  return "seed " + std::to_string(setting.seed) + ", " + std::to_string(setting.iterations) +
         " iterations, lr " + std::to_string(setting.learning_rate) + ", hidden " +
         std::to_string(setting.hidden);
}

XorOptions xor_options(const XorCase& setting) {
  XorOptions options;
  options.seed = setting.seed;
  options.iterations = setting.iterations;
  options.learning_rate = setting.learning_rate;
  options.hidden = setting.hidden;
  return options;
}

void expect_same_bits(const XorRun& actual, const XorRun& expected) {
  EXPECT_TRUE(matrices_near(actual.initial_weights1, expected.initial_weights1, 0));
  EXPECT_TRUE(matrices_near(actual.initial_weights2, expected.initial_weights2, 0));
  EXPECT_TRUE(matrices_near(actual.final_weights1, expected.final_weights1, 0));
  EXPECT_TRUE(matrices_near(actual.final_weights2, expected.final_weights2, 0));
  EXPECT_TRUE(matrices_near(actual.output, expected.output, 0));
  EXPECT_EQ(actual.loss, expected.loss);
}

// train_xor (SmallNetwork) computes exactly what the Sequential path computes.
TEST(Xor, SmallNetworkEqualsSequentialBitForBit) {
  for (const XorCase& setting : kXorCases) {
    SCOPED_TRACE(describe(setting));
    const XorOptions options = xor_options(setting);
    expect_same_bits(train_xor(options), train_xor_sequential(options));
  }
}

}  // namespace
}  // namespace scratchnet
