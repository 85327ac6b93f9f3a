// Data sets: gathering rows into a batch, subsets, and the seeded validation split.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "fixtures.hpp"
#include "scratchnet/batch_buffer.hpp"
#include "scratchnet/data/dataset.hpp"

namespace scratchnet {
namespace {

// Row i holds features [i, 10 + i] and target [100 + i].
InMemoryDataset<double> numbered(Index rows) {
  Matrix<double> features(rows, 2), targets(rows, 1);
  for (Index i = 0; i < rows; ++i) {
    features.row(i) << double(i), 10.0 + double(i);
    targets(i, 0) = 100.0 + double(i);
  }
  return {std::move(features), std::move(targets)};
}

TEST(Dataset, GatherCopiesTheAskedRowsInOrder) {
  const auto data = numbered(5);
  BatchBuffer<double> features, targets;
  const std::vector<Index> rows = {3, 0, 3};
  data.gather(rows, features.reshape(3, 2), targets.reshape(3, 1));
  Matrix<double> expected_features(3, 2), expected_targets(3, 1);
  expected_features << 3, 13, 0, 10, 3, 13;
  expected_targets << 103, 100, 103;
  EXPECT_EQ(Matrix<double>(features.view()), expected_features);
  EXPECT_EQ(Matrix<double>(targets.view()), expected_targets);
}

TEST(Dataset, RowCountsMustAgree) {
  EXPECT_THROW(InMemoryDataset<double>(Matrix<double>::Zero(3, 2), Matrix<double>::Zero(2, 1)),
               std::invalid_argument);
}

TEST(Dataset, SubsetTranslatesRows) {
  const auto data = numbered(6);
  const Subset<double> subset(data, {5, 1, 4});
  EXPECT_EQ(subset.size(), 3);
  EXPECT_EQ(subset.features(), 2);
  BatchBuffer<double> features, targets;
  const std::vector<Index> rows = {2, 0};
  subset.gather(rows, features.reshape(2, 2), targets.reshape(2, 1));
  EXPECT_EQ(targets.view()(0, 0), 104);
  EXPECT_EQ(targets.view()(1, 0), 105);
  EXPECT_THROW(Subset<double>(data, {6}), std::out_of_range);
}

// A subset translates its rows a slice at a time; a batch longer than a slice crosses the seams.
TEST(Dataset, SubsetGathersBatchesLongerThanItsSlices) {
  const auto data = numbered(500);
  std::vector<Index> picked;
  for (Index i = 0; i < 200; ++i)
    picked.push_back((i * 37) % 500);
  const Subset<double> subset(data, picked);
  std::vector<Index> rows;
  for (Index i = 0; i < 150; ++i)
    rows.push_back(199 - i);
  BatchBuffer<double> features, targets;
  subset.gather(rows, features.reshape(150, 2), targets.reshape(150, 1));
  for (Index i = 0; i < 150; ++i) {
    const double parent_row = double(picked[std::size_t(rows[std::size_t(i)])]);
    ASSERT_EQ(features.view()(i, 0), parent_row) << "row " << i;
    ASSERT_EQ(features.view()(i, 1), 10 + parent_row) << "row " << i;
    ASSERT_EQ(targets.view()(i, 0), 100 + parent_row) << "row " << i;
  }
}

TEST(BatchBuffer, GrowsButNeverShrinks) {
  BatchBuffer<float> buffer;
  const float* storage = buffer.reshape(64, 10).data();
  EXPECT_EQ(buffer.reshape(16, 10).data(), storage);  // a smaller batch reuses the memory
  EXPECT_EQ(buffer.rows(), 16);
  EXPECT_EQ(buffer.reshape(64, 10).data(), storage);
}

// The validation rows are the first floor(f·n) entries of np.random.permutation(n) after
// np.random.seed(seed), sorted: the split can be replayed in numpy.
TEST(ValidationSplit, ReplaysNumpysPermutation) {
  const auto numpy_case = testing::load_fixture("numpy_random.json")["cases"][0];
  const auto permutation = numpy_case["permutation"].get<std::vector<Index>>();  // n = 1000
  const auto data = numbered(Index(permutation.size()));
  Random random(numpy_case["seed"].get<std::uint32_t>());
  const auto [training, validation] = split_validation<double>(data, 0.1, random);

  std::vector<Index> expected(permutation.begin(), permutation.begin() + 100);
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(validation.parent_rows(), expected);
  EXPECT_EQ(training.size(), 900);
  std::set<Index> all(training.parent_rows().begin(), training.parent_rows().end());
  all.insert(expected.begin(), expected.end());
  EXPECT_EQ(all.size(), 1000u);  // disjoint and covering
  EXPECT_TRUE(std::is_sorted(training.parent_rows().begin(), training.parent_rows().end()));
}

TEST(ValidationSplit, SizesAndErrors) {
  const auto data = numbered(10);
  Random random(/*seed=*/1);
  EXPECT_EQ(split_validation<double>(data, 0.25, random).second.size(), 2);  // floor(2.5)
  EXPECT_EQ(split_validation<double>(data, 0.01, random).second.size(), 1);  // at least one
  EXPECT_EQ(split_validation<double>(data, 0.0, random).second.size(), 0);
  EXPECT_THROW(split_validation<double>(data, 1.0, random), std::invalid_argument);
  EXPECT_THROW(split_validation<double>(data, -0.1, random), std::invalid_argument);
  EXPECT_THROW(split_validation<double>(data, std::nan(""), random), std::invalid_argument);
  EXPECT_THROW(split_validation<double>(numbered(1), 0.5, random), std::invalid_argument);
}

}  // namespace
}  // namespace scratchnet
