// Standardization: means and population standard deviations against numpy, a column far from
// zero (where summing squares would lose every digit), a constant column, and the errors.
#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "scratchnet/data/standardization.hpp"

namespace scratchnet::data {
namespace {

// Columns: small integers, 1e9 + small integers, mixed signs and scales, a constant.
Matrix<double> features() {
  Matrix<double> x(5, 4);
  x << 1, 1e9 + 1, -3.5, 5,  //
      2, 1e9 + 2, 0.25, 5,   //
      3, 1e9 + 3, 8, 5,      //
      4, 1e9 + 4, -1e-3, 5,  //
      10, 1e9 + 5, 2.5, 5;
  return x;
}

// By hand: [1, 2, 3, 4] has mean 2.5 and variance (2.25 + 0.25 + 0.25 + 2.25) / 4 = 1.25.
TEST(Standardization, HandComputed) {
  Matrix<double> x(4, 1);
  x << 1, 2, 3, 4;
  const auto fitted = Standardization::fit(x);
  EXPECT_EQ(fitted.mean, std::vector<double>{2.5});
  EXPECT_DOUBLE_EQ(fitted.scale[0], std::sqrt(1.25));
  fitted.apply(x);
  EXPECT_DOUBLE_EQ(x(0, 0), -1.5 / std::sqrt(1.25));
  EXPECT_DOUBLE_EQ(x(3, 0), 1.5 / std::sqrt(1.25));
}

// numpy 1.24 (x as in features()):
//   x.mean(0), x.std(0)   and   s = x.std(0); s[s == 0] = 1; (x - x.mean(0)) / s
TEST(Standardization, MatchesNumpy) {
  const std::vector<double> numpy_mean = {4.0, 1000000003.0, 1.4498, 5.0};
  const std::vector<double> numpy_std = {3.1622776601683795, 1.4142135623730951, 3.7961269947144816,
                                         0.0};
  Matrix<double> numpy_standardized(5, 4);
  numpy_standardized << -0.9486832980505138, -1.414213562373095, -1.303907905845044, 0.0,  //
      -0.6324555320336759, -0.7071067811865475, -0.3160589731772766, 0.0,                  //
      -0.31622776601683794, 0.0, 1.7254954876694426, 0.0,                                  //
      0.0, 0.7071067811865475, -0.3821789950705058, 0.0,                                   //
      1.8973665961010275, 1.414213562373095, 0.2766503864233838, 0.0;

  Matrix<double> x = features();
  const auto fitted = Standardization::fit(x);
  ASSERT_EQ(fitted.mean.size(), 4u);
  for (std::size_t c = 0; c < 4; ++c) {
    EXPECT_NEAR(fitted.mean[c], numpy_mean[c], 1e-15 * std::abs(numpy_mean[c])) << c;
    const double expected_scale = numpy_std[c] == 0 ? 1.0 : numpy_std[c];
    EXPECT_NEAR(fitted.scale[c], expected_scale, 1e-14 * expected_scale) << c;
  }
  fitted.apply(x);
  EXPECT_TRUE(testing::matrices_near(x, numpy_standardized, 1e-14));
}

// A constant column keeps its value as the mean, gets scale 1, and maps to exactly 0, even when
// its mean would not round to its value (0.1 · 3 / 3 is not 0.1).
TEST(Standardization, ConstantColumn) {
  Matrix<double> x(3, 2);
  x << 0.1, 1, 0.1, 2, 0.1, 3;
  const auto fitted = Standardization::fit(x);
  EXPECT_EQ(fitted.mean[0], 0.1);
  EXPECT_EQ(fitted.scale[0], 1.0);
  fitted.apply(x);
  EXPECT_EQ(x.col(0), Eigen::VectorXd::Zero(3));
}

TEST(Standardization, AppliesToOtherRows) {
  const auto fitted = Standardization::fit(features());
  Matrix<double> row(1, 4);
  row << 4, 1e9 + 3, 1.4498, 123;
  fitted.apply(row);
  EXPECT_EQ(row(0, 0), 0.0);
  EXPECT_EQ(row(0, 1), 0.0);
  EXPECT_NEAR(row(0, 2), 0.0, 1e-15);
  EXPECT_EQ(row(0, 3), 118.0);  // (123 − 5) / 1
}

// Any finite values fit: near the largest double the sums and squares would overflow, and near
// the smallest the squares would underflow to a variance of 0, without the exact scaling by a
// power of two. Each column is [1, 2, 3, 4] times a power of ten, or ±1.7e308.
TEST(Standardization, ExtremeMagnitudesNeitherOverflowNorUnderflow) {
  Matrix<double> x(4, 4);
  x << 1e154, 1e300, 1e-300, 1.7e308,  //
      2e154, 2e300, 2e-300, -1.7e308,  //
      3e154, 3e300, 3e-300, 1.7e308,   //
      4e154, 4e300, 4e-300, -1.7e308;
  const auto fitted = Standardization::fit(x);
  const double powers[] = {1e154, 1e300, 1e-300};
  for (std::size_t c = 0; c < 3; ++c) {
    EXPECT_NEAR(fitted.mean[c], 2.5 * powers[c], 1e-15 * 2.5 * powers[c]) << c;
    EXPECT_NEAR(fitted.scale[c], std::sqrt(1.25) * powers[c], 1e-15 * powers[c]) << c;
  }
  EXPECT_EQ(fitted.mean[3], 0.0);
  EXPECT_EQ(fitted.scale[3], 1.7e308);
  fitted.apply(x);
  for (Index c = 0; c < 3; ++c)
    EXPECT_NEAR(x(0, c), -1.5 / std::sqrt(1.25), 1e-14) << c;
  EXPECT_EQ(x(0, 3), 1.0);
  EXPECT_EQ(x(1, 3), -1.0);

  // Applied to a value far from a mean near the largest double: x − mean overflows, the
  // standardised value does not.
  const Standardization far{{-1.5e308}, {1e10}};
  Matrix<double> row(1, 1);
  row << 1.5e308;
  far.apply(row);
  EXPECT_DOUBLE_EQ(row(0, 0), 3e298);
}

// Fitted to chosen rows in place: the same bits as those rows gathered into their own matrix.
TEST(Standardization, FitToChosenRowsEqualsFitToThoseRowsGathered) {
  const Matrix<double> x = features();
  const std::vector<Index> rows = {4, 0, 2, 3};
  Matrix<double> gathered(Index(rows.size()), x.cols());
  for (std::size_t i = 0; i < rows.size(); ++i)
    gathered.row(Index(i)) = x.row(rows[i]);
  const auto in_place = Standardization::fit(x, rows), copied = Standardization::fit(gathered);
  EXPECT_EQ(in_place.mean, copied.mean);
  EXPECT_EQ(in_place.scale, copied.scale);
  EXPECT_NE(in_place.mean, Standardization::fit(x).mean);  // the other row counts there
  const std::vector<Index> outside = {0, 5};
  EXPECT_THROW(Standardization::fit(x, outside), std::out_of_range);
  EXPECT_THROW(Standardization::fit(x, std::vector<Index>{}), std::invalid_argument);
}

TEST(Standardization, Errors) {
  const auto fitted = Standardization::fit(features());
  Matrix<double> three_columns = Matrix<double>::Zero(2, 3);
  try {
    fitted.apply(three_columns);
    FAIL() << "applied 4 columns' standardization to 3 columns";
  } catch (const std::invalid_argument& error) {
    EXPECT_STREQ(error.what(), "standardization was fitted to 4 columns, the features have 3");
  }
  EXPECT_THROW(Standardization::fit(Matrix<double>(0, 3)), std::invalid_argument);
}

}  // namespace
}  // namespace scratchnet::data
