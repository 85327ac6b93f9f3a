// Stage 1 number for number: train_xor against the seed notebook's numpy code run for several
// seeds and settings (tests/fixtures/xor_numpy.json, from tools/make_xor_fixtures.py), on both
// of its loops (the generic Sequential one and the seed-sized one), and those loops against each
// other bit for bit, the seed-sized one on every instruction set this CPU has.
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "scratchnet/kernels/cpu.hpp"
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

// train_xor: the seed-sized loop for the cases with 4 hidden units, Sequential for the others.
TEST_P(XorAgainstNumpy, SameWeightsOutputAndLoss) {
  const nlohmann::json fixture = testing::load_fixture("xor_numpy.json");
  const auto& expected = fixture["cases"].at(GetParam());
  SCOPED_TRACE("seed " + expected["seed"].dump());
  expect_numpys_run(train_xor(options_of(expected)), expected);
}

// The generic path on every case, so that both loops are held to numpy on the seed's size.
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
  SeedXorWeights weights{};
  EXPECT_THROW(train_seed_xor(weights, /*iterations=*/0, /*learning_rate=*/1.0),
               std::invalid_argument);
}

// Settings for the bit-for-bit comparisons: the seed's, one step, long runs, and steps large
// enough to saturate the sigmoids and to send pre-activations past ±512, where the AVX-512 exp
// hands its lanes to the scalar one.
struct SeedXorCase {
  std::uint32_t seed;
  std::int64_t iterations;
  double learning_rate;
};
const SeedXorCase kSeedXorCases[] = {
    {0, 1500, 1.0},           {0, 1, 1.0},    {42, 20000, 1.0},
    {4294967295u, 3000, 1.0}, {9, 700, 0.25}, {5, 400, 7.5},
    {13, 200, 60.0},          {17, 50, 1e4},  {23, 30, 1e9},
};

std::string describe(const SeedXorCase& setting) {
  return "seed " + std::to_string(setting.seed) + ", " + std::to_string(setting.iterations) +
         " iterations, lr " + std::to_string(setting.learning_rate);
}

XorOptions seed_sized_options(const SeedXorCase& setting) {
  XorOptions options;
  options.seed = setting.seed;
  options.iterations = setting.iterations;
  options.learning_rate = setting.learning_rate;
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

// train_xor's seed-sized loop computes exactly what the Sequential path computes.
TEST(Xor, SeedSizedLoopEqualsSequentialBitForBit) {
  for (const SeedXorCase& setting : kSeedXorCases) {
    SCOPED_TRACE(describe(setting));
    const XorOptions options = seed_sized_options(setting);
    expect_same_bits(train_xor(options), train_xor_sequential(options));
  }
}

// Each instruction set's loop, run directly, against the Sequential path.
TEST(Xor, EveryKernelOfTheSeedSizedLoopEqualsSequential) {
  std::vector<SeedXorKernel> kernels = {SeedXorKernel::portable};
  if (kernels::cpu_has("avx512")) {
    kernels.push_back(SeedXorKernel::avx512);
  } else {
    EXPECT_THROW(
        {
          SeedXorWeights weights{};
          train_seed_xor(weights, 1, 1.0, SeedXorKernel::avx512);
        },
        std::invalid_argument);
  }
  for (const SeedXorKernel kernel : kernels) {
    for (const SeedXorCase& setting : kSeedXorCases) {
      SCOPED_TRACE(describe(setting) + (kernel == SeedXorKernel::avx512 ? ", avx512" : ""));
      const XorRun expected = train_xor_sequential(seed_sized_options(setting));
      SeedXorWeights weights;
      for (int u = 0; u < 4; ++u) {
        for (int i = 0; i < 2; ++i)
          weights.weights1[i][u] = expected.initial_weights1(i, u);
        weights.weights2[u] = expected.initial_weights2(u, 0);
      }
      const std::array<double, 4> output =
          train_seed_xor(weights, setting.iterations, setting.learning_rate, kernel);
      for (int u = 0; u < 4; ++u) {
        for (int i = 0; i < 2; ++i)
          EXPECT_EQ(weights.weights1[i][u], expected.final_weights1(i, u)) << i << ", " << u;
        EXPECT_EQ(weights.weights2[u], expected.final_weights2(u, 0)) << u;
      }
      for (int r = 0; r < 4; ++r)
        EXPECT_EQ(output[r], expected.output(r, 0)) << "row " << r;
    }
  }
}

}  // namespace
}  // namespace scratchnet
