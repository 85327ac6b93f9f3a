// The generator draws exactly what numpy's legacy np.random.seed(n); np.random.rand() draws.
#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "scratchnet/random.hpp"

namespace scratchnet {
namespace {

TEST(Random, UniformMatchesNumpyRandBitForBit) {
  const nlohmann::json fixture = testing::load_fixture("numpy_random.json");
  ASSERT_FALSE(fixture["cases"].empty());
  for (const auto& numpy_case : fixture["cases"]) {
    const auto seed = numpy_case["seed"].get<std::uint32_t>();
    Random random(seed);
    const auto& expected = numpy_case["rand"];
    for (std::size_t i = 0; i < expected.size(); ++i) {
      ASSERT_EQ(random.uniform(), expected[i].get<double>()) << "seed " << seed << ", draw " << i;
    }
  }
}

TEST(Random, NormalMatchesNumpyRandn) {
  const nlohmann::json fixture = testing::load_fixture("numpy_random.json");
  for (const auto& numpy_case : fixture["cases"]) {
    const auto seed = numpy_case["seed"].get<std::uint32_t>();
    Random random(seed);
    const auto& expected = numpy_case["randn"];
    ASSERT_FALSE(expected.empty());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      // The arithmetic is numpy's; only the libm behind log and sqrt could differ, by an ulp.
      ASSERT_NEAR(random.normal(), expected[i].get<double>(), 1e-14)
          << "seed " << seed << ", draw " << i;
    }
  }
}

TEST(Random, ShuffleMatchesNumpyPermutation) {
  const nlohmann::json fixture = testing::load_fixture("numpy_random.json");
  for (const auto& numpy_case : fixture["cases"]) {
    const auto seed = numpy_case["seed"].get<std::uint32_t>();
    const auto expected = numpy_case["permutation"].get<std::vector<std::int64_t>>();
    std::vector<std::int64_t> order(expected.size());
    for (std::size_t i = 0; i < order.size(); ++i)
      order[i] = std::int64_t(i);
    Random random(seed);
    random.shuffle(std::span(order));
    EXPECT_EQ(order, expected) << "seed " << seed;
  }
}

TEST(Random, AtMostMatchesNumpysMaskedDrawsBeyond32Bits) {
  const nlohmann::json fixture = testing::load_fixture("numpy_random.json");
  for (const auto& numpy_case : fixture["cases"]) {
    const auto seed = numpy_case["seed"].get<std::uint32_t>();
    Random random(seed);
    for (const auto& expected : numpy_case["at_most_2_40"]) {
      ASSERT_EQ(random.at_most(std::uint64_t(1) << 40), expected.get<std::uint64_t>())
          << "seed " << seed;
    }
  }
}

TEST(Random, AtMostStaysInRange) {
  Random random(/*seed=*/11);
  for (std::uint64_t bound : {0ULL, 1ULL, 2ULL, 5ULL, 1000ULL, 0xffffffffULL, ~0ULL}) {
    for (int i = 0; i < 1000; ++i)
      ASSERT_LE(random.at_most(bound), bound);
  }
}

TEST(Random, StateRoundTripContinuesTheStreamBitForBit) {
  Random original(/*seed=*/3);
  for (int i = 0; i < 1000; ++i)
    original.uniform();
  original.normal();  // leaves a spare normal behind, which the state must carry
  Random restored(/*seed=*/0);
  restored.restore(original.state());
  EXPECT_EQ(restored, original);
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(restored.normal(), original.normal());
    EXPECT_EQ(restored.uniform(), original.uniform());
  }
  EXPECT_THROW(restored.restore("not a state"), std::invalid_argument);
  EXPECT_THROW(restored.restore(original.state() + " extra"), std::invalid_argument);
  EXPECT_THROW(restored.restore(""), std::invalid_argument);
}

TEST(Random, UniformStaysInHalfOpenUnitInterval) {
  Random random(/*seed=*/7);
  for (int i = 0; i < 100000; ++i) {
    const double value = random.uniform();
    ASSERT_GE(value, 0.0);
    ASSERT_LT(value, 1.0);
  }
}

TEST(Random, SameSeedSameStreamOtherSeedOtherStream) {
  Random first(/*seed=*/5), second(/*seed=*/5), other(/*seed=*/6);
  bool differs = false;
  for (int i = 0; i < 10; ++i) {
    const double value = first.uniform();
    EXPECT_EQ(value, second.uniform());
    differs |= value != other.uniform();
  }
  EXPECT_TRUE(differs);
}

}  // namespace
}  // namespace scratchnet
