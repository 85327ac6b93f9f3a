// Images held as bytes: gather's pixel / 255 and label values in float and double, the raw pixels
// of a row, the size checks, and images read from IDX files through the Dataset interface.
#include <gtest/gtest.h>

#include "data_files.hpp"
#include "scratchnet/batch_buffer.hpp"
#include "scratchnet/data/image_dataset.hpp"

namespace scratchnet::data {
namespace {

// Three images of 2 x 2 pixels, labelled 7, 0 and 9.
LabelledImages three_images() {
  return {.rows = 3,
          .features = 4,
          .pixels = {0, 255, 51, 1, 10, 20, 30, 40, 128, 64, 32, 16},
          .labels = {7, 0, 9},
          .image_dims = {2, 2}};
}

template <typename T>
class ImageDatasetTest : public ::testing::Test {};
using Precisions = ::testing::Types<float, double>;
TYPED_TEST_SUITE(ImageDatasetTest, Precisions);

TYPED_TEST(ImageDatasetTest, GatherScalesPixelsAndCopiesLabels) {
  using T = TypeParam;
  const ImageDataset<T> data(three_images());
  EXPECT_EQ(data.size(), 3);
  EXPECT_EQ(data.features(), 4);
  EXPECT_EQ(data.target_width(), 1);
  BatchBuffer<T> features, targets;
  const std::vector<Index> rows = {2, 0, 2};
  data.gather(rows, features.reshape(3, 4), targets.reshape(3, 1));
  const std::uint8_t expected[3][4] = {{128, 64, 32, 16}, {0, 255, 51, 1}, {128, 64, 32, 16}};
  for (Index i = 0; i < 3; ++i) {
    for (Index j = 0; j < 4; ++j)
      EXPECT_EQ(features.view()(i, j), T(expected[i][j]) / T(255)) << i << ", " << j;
  }
  EXPECT_EQ(features.view()(1, 1), T(1));
  EXPECT_EQ(features.view()(1, 0), T(0));
  EXPECT_EQ(features.view()(1, 2), T(0.2));  // 51 / 255 is exactly 0.2 rounded, as 0.2 is
  EXPECT_EQ(targets.view()(0, 0), T(9));
  EXPECT_EQ(targets.view()(1, 0), T(7));
  EXPECT_EQ(targets.view()(2, 0), T(9));
}

// Every byte value, so a looked-up quotient that differs from the division anywhere shows.
TYPED_TEST(ImageDatasetTest, EveryPixelValueIsItsQuotientBy255) {
  using T = TypeParam;
  LabelledImages bytes{.rows = 1, .features = 256, .pixels = {}, .labels = {3}, .image_dims = {}};
  for (int value = 255; value >= 0; --value)
    bytes.pixels.push_back(std::uint8_t(value));
  const ImageDataset<T> data(std::move(bytes));
  BatchBuffer<T> features, targets;
  const std::vector<Index> rows = {0};
  data.gather(rows, features.reshape(1, 256), targets.reshape(1, 1));
  for (Index j = 0; j < 256; ++j)
    EXPECT_EQ(features.view()(0, j), T(255 - j) / T(255)) << "pixel value " << 255 - j;
}

TEST(ImageDataset, RawPixelsAndLabelOfARow) {
  const ImageDataset<float> data(three_images());
  const auto pixels = data.pixels(1);
  EXPECT_EQ(std::vector<std::uint8_t>(pixels.begin(), pixels.end()),
            (std::vector<std::uint8_t>{10, 20, 30, 40}));
  EXPECT_EQ(data.label(2), 9);
}

TEST(ImageDataset, SizesMustAgree) {
  LabelledImages missing_pixel = three_images();
  missing_pixel.pixels.pop_back();
  EXPECT_THROW(ImageDataset<float>(std::move(missing_pixel)), std::invalid_argument);
  LabelledImages extra_label = three_images();
  extra_label.labels.push_back(1);
  EXPECT_THROW(ImageDataset<double>(std::move(extra_label)), std::invalid_argument);
}

// From IDX files to a validation split: the data set works as any other Dataset.
TEST(ImageDataset, FromIdxFilesThroughASubset) {
  testing::TempFiles files;
  std::string images = {0, 0, 8, 3, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 2};  // [4, 1, 2]
  images += std::string{0, 0, 51, 51, char(102), char(102), char(255), char(255)};
  const std::string labels = {0, 0, 8, 1, 0, 0, 0, 4, 3, 2, 1, 0};  // [4]
  const ImageDataset<double> data(
      read_idx_pair(files.write("images.idx", images), files.write("labels.idx", labels)));
  EXPECT_EQ(data.features(), 2);
  const Subset<double> subset(data, {3, 1});
  BatchBuffer<double> features, targets;
  const std::vector<Index> rows = {0, 1};
  subset.gather(rows, features.reshape(2, 2), targets.reshape(2, 1));
  EXPECT_EQ(features.view()(0, 0), 1.0);
  EXPECT_EQ(features.view()(1, 1), 0.2);
  EXPECT_EQ(targets.view()(0, 0), 0);
  EXPECT_EQ(targets.view()(1, 0), 2);
}

}  // namespace
}  // namespace scratchnet::data
