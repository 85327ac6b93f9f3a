// Missing feature values: fill values fitted as numpy's nanmean and nanmedian compute them, on
// the training rows only, and each strategy's effect on a table.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "scratchnet/data/missing_values.hpp"

namespace scratchnet::data {
namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

CsvTable table_with_gaps() {
  CsvTable table;
  table.feature_names = {"a", "b"};
  table.features.resize(5, 2);
  table.features << 1, nan,  //
      nan, 4,                //
      3, 10,                 //
      8, nan,                //
      2, 5;
  table.labels = {"p", "q", "r", "s", "t"};
  table.has_header = true;
  table.missing.per_column = {1, 2};
  table.missing.first_places = {{{3, 1}}, {{2, 3}, {5, 3}}};
  table.missing.total = 3;
  return table;
}

TEST(MissingValues, FitsMeansAndMediansOverTheGivenRowsOnly) {
  const CsvTable table = table_with_gaps();
  const std::vector<Index> all = {0, 1, 2, 3, 4};
  // Column a has 1, 3, 8, 2: mean 14/4 = 3.5; median of the even count 1 2 3 8 = (2 + 3) / 2.
  // Column b has 4, 10, 5: mean 19/3; median 5.
  const auto mean =
      MissingValues::fit(MissingStrategy::mean, table.features, all, table.feature_names, "t.csv");
  ASSERT_EQ(mean.fill.size(), 2u);
  EXPECT_DOUBLE_EQ(mean.fill[0], 3.5);
  EXPECT_DOUBLE_EQ(mean.fill[1], 19.0 / 3.0);
  const auto median = MissingValues::fit(MissingStrategy::median, table.features, all,
                                         table.feature_names, "t.csv");
  EXPECT_EQ(median.fill, (std::vector<double>{2.5, 5}));
  // The rows 2 and 3 only: a has 3, 8 and b has 10.
  const std::vector<Index> some = {2, 3};
  EXPECT_EQ(MissingValues::fit(MissingStrategy::median, table.features, some, table.feature_names,
                               "t.csv")
                .fill,
            (std::vector<double>{5.5, 10}));
  // Drop and error have nothing to fit.
  EXPECT_TRUE(
      MissingValues::fit(MissingStrategy::drop, table.features, all, table.feature_names, "t.csv")
          .fill.empty());
}

TEST(MissingValues, AColumnWithNoValueInTheTrainingRowsIsAnError) {
  const CsvTable table = table_with_gaps();
  const std::vector<Index> rows = {0, 3};  // b is missing in both
  try {
    MissingValues::fit(MissingStrategy::mean, table.features, rows, table.feature_names, "t.csv");
    FAIL() << "no error";
  } catch (const DataError& error) {
    EXPECT_STREQ(error.what(),
                 "t.csv: column 'b' has no value in the training rows to fill its gaps with");
  }
}

TEST(MissingValues, ResolveRefusesDropsOrFills) {
  CsvTable refused = table_with_gaps();
  try {
    MissingValues{}.resolve(refused, "t.csv", "; say how");
    FAIL() << "no error";
  } catch (const DataError& error) {
    EXPECT_STREQ(error.what(),
                 "t.csv:2:3: 3 missing values: column 'a' 1 (at 3:1), column 'b' 2 (at 2:3, 5:3); "
                 "say how");
  }

  CsvTable dropped = table_with_gaps();
  EXPECT_EQ((MissingValues{MissingStrategy::drop, {}}.resolve(dropped, "t.csv", "")), 3);
  ASSERT_EQ(dropped.features.rows(), 2);
  EXPECT_EQ(dropped.features(0, 0), 3);
  EXPECT_EQ(dropped.features(1, 1), 5);
  EXPECT_EQ(dropped.labels, (std::vector<std::string>{"r", "t"}));
  EXPECT_EQ(dropped.missing.total, 0);

  CsvTable filled = table_with_gaps();
  EXPECT_EQ((MissingValues{MissingStrategy::mean, {-1, -2}}.resolve(filled, "t.csv", "")), 0);
  EXPECT_EQ(filled.features(0, 1), -2);
  EXPECT_EQ(filled.features(1, 0), -1);
  EXPECT_EQ(filled.features(3, 1), -2);
  EXPECT_EQ(filled.features(2, 1), 10);
  EXPECT_FALSE(filled.features.array().isNaN().any());
}

}  // namespace
}  // namespace scratchnet::data
