// SampleRandom, the position-addressed numbers Dropout draws: the values of an independent
// computation (tools/make_sample_random_fixtures.py, Python integers), addressing by position,
// and the statistics a mask needs.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <set>
#include <string>

#include "fixtures.hpp"
#include "scratchnet/sample_random.hpp"

namespace scratchnet {
namespace {

TEST(SampleRandom, EqualsTheReferenceComputation) {
  const nlohmann::json cases = testing::load_fixture("sample_random.json");
  ASSERT_GE(cases.size(), 10u);
  for (const nlohmann::json& c : cases) {
    SampleRandom random(c["seed"].get<std::uint64_t>());
    random.set_position(c["step"].get<std::int64_t>(), /*first_row=*/0);
    const double expected = std::strtod(c["value"].get<std::string>().c_str(), nullptr);
    EXPECT_EQ(random.uniform(c["stream"].get<std::uint64_t>(), c["row"].get<Index>(),
                             c["element"].get<Index>()),
              expected)
        << c.dump();
  }
}

// Row r of a forward pass that starts at row f is row f + r of the batch.
TEST(SampleRandom, RowsAreCountedFromTheFirstRowOfTheBatch) {
  SampleRandom whole(/*seed=*/3), shard(/*seed=*/3);
  whole.set_position(/*step=*/9, /*first_row=*/0);
  shard.set_position(/*step=*/9, /*first_row=*/40);
  for (Index row = 0; row < 8; ++row) {
    for (Index element = 0; element < 5; ++element)
      EXPECT_EQ(shard.uniform(1, row, element), whole.uniform(1, 40 + row, element));
  }
  EXPECT_EQ(shard.stream(1).uniform(2, 3), whole.uniform(1, 42, 3));
  EXPECT_EQ(SampleRandom::uniform_at(shard.stream(1).row_key(2), 3), whole.uniform(1, 42, 3));
}

// 2^16 numbers of each of a few (step, stream) pairs: in [0, 1), mean ½ and variance 1/12 within
// six standard errors, no two equal (53-bit values), and unrelated across steps and streams.
TEST(SampleRandom, NumbersAreUniformAndDistinct) {
  constexpr Index kRows = 256, kElements = 256, kCount = kRows * kElements;
  for (const auto& [step, stream] :
       {std::pair<std::int64_t, std::uint64_t>{0, 0}, {1, 0}, {0, 1}, {123456, 7}}) {
    SampleRandom random(/*seed=*/11);
    random.set_position(step, 0);
    SampleRandom other(/*seed=*/11);
    other.set_position(step + 1, 0);
    double sum = 0, sum_squares = 0, product = 0;
    std::set<double> seen;
    for (Index row = 0; row < kRows; ++row) {
      for (Index element = 0; element < kElements; ++element) {
        const double u = random.uniform(stream, row, element);
        ASSERT_GE(u, 0.0);
        ASSERT_LT(u, 1.0);
        sum += u;
        sum_squares += (u - 0.5) * (u - 0.5);
        product += (u - 0.5) * (other.uniform(stream, row, element) - 0.5);
        seen.insert(u);
      }
    }
    const double n = double(kCount);
    EXPECT_NEAR(sum / n, 0.5, 6 * std::sqrt(1.0 / 12 / n));
    EXPECT_NEAR(sum_squares / n, 1.0 / 12, 6 * std::sqrt(1.0 / 180 / n));  // var of (u−½)²
    EXPECT_NEAR(product / n, 0.0, 6 * (1.0 / 12) / std::sqrt(n));  // covariance with next step
    EXPECT_EQ(seen.size(), std::size_t(kCount));
  }
}

}  // namespace
}  // namespace scratchnet
