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
