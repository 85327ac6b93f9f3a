// The exp kernel (kernels/exp.hpp): exp_reference() within 1 ulp of glibc's std::exp over the
// whole range (overflow, subnormal results, infinities, NaN), and the array kernels on every path
// this build and CPU can run (avx512, avx2, neon, portable), each equal to exp_reference() bit
// for bit, NaNs' signs and payloads, partial groups of lanes and lanes that take the scalar path
// included.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <limits>
#include <string>
#include <tuple>
#include <vector>

#include "scratchnet/kernels/cpu.hpp"
#include "scratchnet/kernels/exp.hpp"
#include "scratchnet/random.hpp"

namespace scratchnet {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Distance in units in the last place between two results of exp (never negative): how many
// doubles lie between them, subnormals counted as the format counts them.
std::uint64_t ulps_apart(double a, double b) {
  const auto x = std::bit_cast<std::int64_t>(a), y = std::bit_cast<std::int64_t>(b);
  return std::uint64_t(x > y ? x - y : y - x);
}

std::vector<double> uniform_values(double low, double high, int count, Random& random) {
  std::vector<double> values(std::size_t(count), 0.0);
  for (double& value : values)
    value = low + (high - low) * random.uniform();
  return values;
}

// Inputs that exercise every path: the main range, both edges of overflow and underflow, the
// subnormal results between −708.4 and −745.1, tiny arguments, infinities and NaN.
std::vector<double> every_kind_of_input() {
  Random random(/*seed=*/5);
  std::vector<double> inputs = {0.0,     -0.0,    1.0,    -1.0,    2.0,     -2.0,     0.5,
                                1e-300,  -1e-300, 5e-324, -5e-324, 0x1p-54, -0x1p-54, 511.99,
                                512.0,   -512.0,  709.78, 709.79,  710.0,   -708.39,  -708.4,
                                -745.13, -745.14, -746.0, 1000.0,  -1000.0, 1023.0,   1024.0,
                                -1024.0, 1e300,   -1e300, kInf,    -kInf,   kNaN,     -kNaN};
  // Each side of the edges: the scalar path from 512, overflow, subnormal results, underflow.
  for (double edge : {512.0, -512.0, 709.782712893384, -708.3964185322641, -745.1332191019411}) {
    inputs.push_back(std::nextafter(edge, 0.0));
    inputs.push_back(std::nextafter(edge, 2 * edge));
  }
  // NaNs with payloads, quiet and signalling, of both signs.
  for (std::uint64_t bits :
       {0x7ff8000000000123u, 0xfff8000000000456u, 0x7ff0000000000001u, 0xfff4000000000789u})
    inputs.push_back(std::bit_cast<double>(bits));
  for (auto [low, high, count] : {std::tuple{-1.0, 1.0, 20000},
                                  {-20.0, 20.0, 20000},
                                  {-760.0, 720.0, 20000},
                                  {-745.2, -708.0, 20000},
                                  {-1e-10, 1e-10, 2000},
                                  {-1100.0, 1100.0, 2000}}) {
    const std::vector<double> drawn = uniform_values(low, high, count, random);
    inputs.insert(inputs.end(), drawn.begin(), drawn.end());
  }
  return inputs;
}

TEST(Exp, ReferenceWithinOneUlpOfStdExp) {
  std::size_t exact = 0;
  const std::vector<double> inputs = every_kind_of_input();
  for (double x : inputs) {
    const double expected = std::exp(x), got = kernels::exp_reference(x);
    if (std::isnan(expected)) {
      EXPECT_TRUE(std::isnan(got)) << "exp(" << x << ") = " << got;
      ++exact;
      continue;
    }
    EXPECT_LE(ulps_apart(got, expected), 1u)
        << "exp(" << x << "): " << got << " but std::exp gives " << expected;
    exact += got == expected;
  }
  std::cout << exact << " of " << inputs.size() << " results equal std::exp's exactly\n";
}

// Against e^x in long double (64 significant bits, so good to 1/2000 ulp of a double): the
// error bound of kernels/exp.hpp, for results in the normal range.
TEST(Exp, ReferenceWithinItsErrorBound) {
  double worst = 0, worst_x = 0;
  for (double x : every_kind_of_input()) {
    const long double exact = std::exp(static_cast<long double>(x));
    if (!std::isfinite(x) || exact < std::numeric_limits<double>::min() ||
        exact > std::numeric_limits<double>::max()) {
      continue;
    }
    const double ulp = std::nextafter(double(exact), kInf) - double(exact);
    const double error = double(std::fabs(kernels::exp_reference(x) - exact) / ulp);
    if (error > worst) worst = error, worst_x = x;
  }
  EXPECT_LT(worst, 0.57) << "at x = " << worst_x;
}

TEST(Exp, SpecialValues) {
  EXPECT_EQ(kernels::exp_reference(0.0), 1.0);
  EXPECT_EQ(kernels::exp_reference(-0.0), 1.0);
  EXPECT_EQ(kernels::exp_reference(kInf), kInf);
  EXPECT_EQ(kernels::exp_reference(-kInf), 0.0);
  EXPECT_TRUE(std::isnan(kernels::exp_reference(kNaN)));
  EXPECT_EQ(kernels::exp_reference(1000.0), kInf);
  EXPECT_EQ(kernels::exp_reference(709.79), kInf);
  EXPECT_EQ(kernels::exp_reference(-1000.0), 0.0);
  EXPECT_EQ(kernels::exp_reference(-746.0), 0.0);
  EXPECT_EQ(kernels::exp_reference(709.78), std::exp(709.78));  // just below overflow
  // e^−745.13 is the smallest subnormal, 2^−1074
  EXPECT_EQ(kernels::exp_reference(-745.13), std::numeric_limits<double>::denorm_min());
  EXPECT_EQ(kernels::exp_reference(1.0), std::exp(1.0));
}

std::uint64_t bits_of(double value) {
  return std::bit_cast<std::uint64_t>(value);
}

double sigmoid_reference(double x) {
  return 1.0 / (1.0 + kernels::exp_reference(-x));
}

// Each path this build has; a test of one this CPU (or SCRATCHNET_ISA) rules out is skipped.
class EveryPath : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    if (!kernels::use_exp_kernel(GetParam())) GTEST_SKIP() << "cannot run " << GetParam();
  }
  void TearDown() override { kernels::use_exp_kernel(chosen_); }

 private:
  std::string chosen_ = kernels::exp_kernel();
};

// Every length from 0 to 40 (whole groups of lanes, partial ones, both), the large lanes placed
// anywhere in a group, in place and out of place: the same bits as the reference, NaNs included.
TEST_P(EveryPath, EqualsTheReferenceBitForBit) {
  ASSERT_STREQ(kernels::exp_kernel(), GetParam());
  const std::vector<double> inputs = every_kind_of_input();
  for (Index length = 0; length <= 40; ++length) {
    for (std::size_t start = 0; start + std::size_t(length) <= inputs.size();
         start += std::size_t(length) * 7 + 1) {
      const double* x = inputs.data() + start;
      std::vector<double> exp_y(std::size_t(length) + 1, -1.0), sigmoid_y = exp_y;
      kernels::exp(x, exp_y.data(), length);
      kernels::sigmoid(x, sigmoid_y.data(), length);
      for (Index i = 0; i < length; ++i) {
        ASSERT_EQ(bits_of(exp_y[std::size_t(i)]), bits_of(kernels::exp_reference(x[i])))
            << "exp(" << x[i] << ") at " << i << " of " << length;
        ASSERT_EQ(bits_of(sigmoid_y[std::size_t(i)]), bits_of(sigmoid_reference(x[i])))
            << "sigmoid(" << x[i] << ") at " << i << " of " << length;
      }
      EXPECT_EQ(exp_y[std::size_t(length)], -1.0) << "wrote past the end, length " << length;
      EXPECT_EQ(sigmoid_y[std::size_t(length)], -1.0) << "wrote past the end, length " << length;

      std::vector<double> in_place(x, x + length), sigmoid_in_place = in_place;
      kernels::exp(in_place.data(), in_place.data(), length);
      kernels::sigmoid(sigmoid_in_place.data(), sigmoid_in_place.data(), length);
      for (Index i = 0; i < length; ++i) {
        ASSERT_EQ(bits_of(in_place[std::size_t(i)]), bits_of(exp_y[std::size_t(i)]))
            << "in place, exp(" << x[i] << ") at " << i << " of " << length;
        ASSERT_EQ(bits_of(sigmoid_in_place[std::size_t(i)]), bits_of(sigmoid_y[std::size_t(i)]))
            << "in place, sigmoid(" << x[i] << ") at " << i << " of " << length;
      }
    }
  }
}

// Four million arguments: half spread evenly over [−760, 720] (every result from 0 through the
// subnormals to inf), half any 64-bit pattern at all (every exponent, NaN payloads).
TEST_P(EveryPath, EqualsTheReferenceOnMillionsOfRandomArguments) {
  constexpr std::size_t kCount = std::size_t(1) << 22;
  Random random(/*seed=*/11);
  std::vector<double> x(kCount);
  for (std::size_t i = 0; i < kCount; i += 2) {
    x[i] = -760.0 + 1480.0 * random.uniform();
    x[i + 1] = std::bit_cast<double>(std::uint64_t(random.next_u32()) << 32 | random.next_u32());
  }
  std::vector<double> exp_y(kCount), sigmoid_y(kCount);
  kernels::exp(x.data(), exp_y.data(), Index(kCount));
  kernels::sigmoid(x.data(), sigmoid_y.data(), Index(kCount));
  for (std::size_t i = 0; i < kCount; ++i) {
    ASSERT_EQ(bits_of(exp_y[i]), bits_of(kernels::exp_reference(x[i]))) << "exp(" << x[i] << ")";
    ASSERT_EQ(bits_of(sigmoid_y[i]), bits_of(sigmoid_reference(x[i]))) << "sigmoid(" << x[i] << ")";
  }
}

INSTANTIATE_TEST_SUITE_P(Exp, EveryPath, ::testing::Values("avx512", "avx2", "neon", "portable"),
                         [](const auto& info) { return std::string(info.param); });

// The kernels start on the widest path the CPU runs and SCRATCHNET_ISA allows.
TEST(Exp, ArrayKernelsStartOnTheWidestPathAllowed) {
  const char* widest = "portable";
  for (const char* path : {"avx512", "avx2", "neon"}) {
    if (kernels::cpu_has(path)) {
      widest = path;
      break;
    }
  }
  std::cout << "exp kernel: " << kernels::exp_kernel() << "\n";
  EXPECT_STREQ(kernels::exp_kernel(), widest);
  EXPECT_FALSE(kernels::use_exp_kernel("sse9"));
  EXPECT_STREQ(kernels::exp_kernel(), widest);
}

TEST(Exp, SigmoidSaturatesWithoutNaN) {
  const double x[] = {-1000, -800, 0, 800, 1000, -kInf, kInf};
  double y[7];
  kernels::sigmoid(x, y, 7);
  EXPECT_EQ(y[0], 0.0);
  EXPECT_EQ(y[1], 0.0);
  EXPECT_EQ(y[2], 0.5);
  EXPECT_EQ(y[3], 1.0);
  EXPECT_EQ(y[4], 1.0);
  EXPECT_EQ(y[5], 0.0);
  EXPECT_EQ(y[6], 1.0);
  const double nan = kNaN;
  kernels::sigmoid(&nan, y, 1);
  EXPECT_TRUE(std::isnan(y[0]));
}

}  // namespace
}  // namespace scratchnet
