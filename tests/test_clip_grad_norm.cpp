// Clipping by global L2 norm by hand, as torch.nn.utils.clip_grad_norm_ does it. The torch
// comparison over whole runs, where it clips on some steps only, is in test_optimizers.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "scratchnet/optimizers/clip_grad_norm.hpp"

namespace scratchnet {
namespace {

template <typename T>
using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;

template <typename T>
VectorView<T> view(Vector<T>& vector) {
  return {vector.data(), vector.size()};
}

// ‖[3, 4]‖ = 5; c = 1/(5 + 1e-6) < 1 scales to [0.6, 0.8] up to the 1e-6 guard.
TEST(ClipGradNorm, ScalesToMaxNormByHand) {
  Vector<double> gradients(2);
  gradients << 3, 4;
  EXPECT_EQ(clip_grad_norm(view(gradients), /*max_norm=*/1.0), 5.0);
  EXPECT_NEAR(gradients(0), 0.6, 1e-6);
  EXPECT_NEAR(gradients(1), 0.8, 1e-6);
  EXPECT_NEAR(gradients.norm(), 1, 1e-6);

  Vector<float> narrow(2);
  narrow << 3, 4;
  EXPECT_EQ(clip_grad_norm(view(narrow), /*max_norm=*/1.0f), 5.0f);
  EXPECT_NEAR(narrow(0), 0.6f, 1e-6f);
}

TEST(ClipGradNorm, LeavesSmallGradientsExactlyAlone) {
  Vector<double> gradients(2);
  gradients << 3, 4;
  EXPECT_EQ(clip_grad_norm(view(gradients), /*max_norm=*/10.0), 5.0);
  EXPECT_EQ(gradients, Eigen::Vector2d(3, 4));
  Vector<double> zeros = Vector<double>::Zero(3);
  EXPECT_EQ(clip_grad_norm(view(zeros), /*max_norm=*/1.0), 0.0);
  EXPECT_EQ(zeros, Vector<double>::Zero(3));
}

// torch 1.13 gives [nan, 0] for [inf, 1] (coefficient 0) and [nan, nan] for [nan, 1].
TEST(ClipGradNorm, NonFiniteNormsAsTorch) {
  const double inf = std::numeric_limits<double>::infinity();
  Vector<double> infinite(2);
  infinite << inf, 1;
  EXPECT_EQ(clip_grad_norm(view(infinite), /*max_norm=*/1.0), inf);
  EXPECT_TRUE(std::isnan(infinite(0)));
  EXPECT_EQ(infinite(1), 0);
  Vector<double> not_a_number(2);
  not_a_number << std::numeric_limits<double>::quiet_NaN(), 1;
  EXPECT_TRUE(std::isnan(clip_grad_norm(view(not_a_number), /*max_norm=*/1.0)));
  EXPECT_TRUE(not_a_number.array().isNaN().all());
}

TEST(ClipGradNorm, RejectsNegativeMaxNorm) {
  Vector<double> gradients = Vector<double>::Ones(2);
  EXPECT_THROW(clip_grad_norm(view(gradients), /*max_norm=*/-1.0), std::invalid_argument);
  EXPECT_THROW(clip_grad_norm(view(gradients), std::numeric_limits<double>::quiet_NaN()),
               std::invalid_argument);
}

}  // namespace
}  // namespace scratchnet
