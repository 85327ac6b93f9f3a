// The data fingerprint a checkpoint keeps: the same rows give the same fingerprint, and any
// change a resume must notice (a value, a label, the order of rows, a row more) gives another.
#include <gtest/gtest.h>

#include <cmath>

#include "scratchnet/data/fingerprint.hpp"
#include "scratchnet/data/labelled_data.hpp"

namespace scratchnet::data {
namespace {

RawRows csv_rows(const Matrix<double>& features, const std::vector<std::string>& labels) {
  RawRows rows;
  rows.path = "rows.csv";
  rows.table = CsvTable{{"a", "b"}, "label", features, labels, /*has_header=*/true, {}};
  return rows;
}

TEST(Fingerprint, TellsChangedRowsFromTheSame) {
  Matrix<double> features(3, 2);
  features << 1.5, 2, -3, 4e10, 0.25, 6;
  const std::vector<std::string> labels = {"x", "y", "x"};
  const DataFingerprint original = fingerprint_of(csv_rows(features, labels));
  EXPECT_EQ(original.rows, 3);
  EXPECT_EQ(original.features, 2);
  EXPECT_EQ(fingerprint_of(csv_rows(features, labels)), original);
  EXPECT_EQ(rows_and_features(original), "3 rows, 2 features");

  RawRows renamed = csv_rows(features, labels);
  renamed.table->feature_names = {"c", "d"};
  EXPECT_EQ(fingerprint_of(renamed), original) << "column names are not the data";

  Matrix<double> changed = features;
  changed(2, 1) = std::nextafter(6.0, 7.0);
  EXPECT_NE(fingerprint_of(csv_rows(changed, labels)).hash, original.hash);
  EXPECT_NE(fingerprint_of(csv_rows(features, {"x", "y", "y"})).hash, original.hash);
  EXPECT_NE(fingerprint_of(csv_rows(features, {"x", "yx", ""})).hash, original.hash);
  Matrix<double> swapped = features;
  swapped.row(0).swap(swapped.row(1));
  EXPECT_NE(fingerprint_of(csv_rows(swapped, {"y", "x", "x"})).hash, original.hash);
  Matrix<double> reshaped = features;
  reshaped.resize(2, 3);
  reshaped << 1.5, 2, -3, 4e10, 0.25, 6;
  EXPECT_NE(fingerprint_of(csv_rows(reshaped, {"x", "y"})), original);
}

TEST(Fingerprint, ReadsImagesByTheirBytes) {
  RawRows rows;
  rows.images = LabelledImages{2, 3, {0, 10, 20, 30, 40, 50}, {1, 0}, {3}};
  const DataFingerprint original = fingerprint_of(rows);
  EXPECT_EQ(original.rows, 2);
  EXPECT_EQ(original.features, 3);
  rows.images->pixels[5] = 51;
  EXPECT_NE(fingerprint_of(rows).hash, original.hash);
  rows.images->pixels[5] = 50;
  rows.images->labels[1] = 1;
  EXPECT_NE(fingerprint_of(rows).hash, original.hash);
}

}  // namespace
}  // namespace scratchnet::data
