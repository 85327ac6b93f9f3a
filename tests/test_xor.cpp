// Stage 1 number for number: train_xor against the seed notebook's numpy code run for several
// seeds and settings (tests/fixtures/xor_numpy.json, from tools/make_xor_fixtures.py).
#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "scratchnet/io/numpy_print.hpp"
#include "scratchnet/layers/dense.hpp"
#include "scratchnet/xor.hpp"

namespace scratchnet {
namespace {

using testing::matrices_near;
using testing::matrix_from_json;

constexpr double kTolerance = 1e-9;

class XorAgainstNumpy : public ::testing::TestWithParam<std::size_t> {};

TEST_P(XorAgainstNumpy, SameWeightsOutputAndLoss) {
  const nlohmann::json fixture = testing::load_fixture("xor_numpy.json");
  const auto& expected = fixture["cases"].at(GetParam());
  XorOptions options;
  options.seed = expected["seed"].get<std::uint32_t>();
  options.iterations = expected["iterations"].get<std::int64_t>();
  options.hidden = expected["hidden"].get<Index>();
  options.learning_rate = expected["lr"].get<double>();
  SCOPED_TRACE("seed " + std::to_string(options.seed));

  const XorRun run = train_xor(options);

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
  EXPECT_EQ(io::numpy_str(run.output), expected["printed"].get<std::string>());
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
}

}  // namespace
}  // namespace scratchnet
