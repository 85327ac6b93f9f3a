// The optimised matrix products agree with their plain definitions (reference_matmul.hpp) on
// every kind of shape the blocking has to handle, in float and double, and give the same bits
// on any number of threads.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "scratchnet/kernels/correlate.hpp"
#include "scratchnet/kernels/indirect_product.hpp"
#include "scratchnet/kernels/matmul.hpp"
#include "scratchnet/kernels/reference_matmul.hpp"
#include "scratchnet/random.hpp"

namespace scratchnet {
namespace {

struct Shape {
  Index m, n, k;
};

std::string describe(const Shape& shape) {
  return std::to_string(shape.m) + "x" + std::to_string(shape.n) + "x" + std::to_string(shape.k);
}

// Tiny products (the plain path), one to three rows (dot products when b is stored as rows),
// edge tiles in both directions, depths across the 256-step blocks, and the network's shapes.
const std::vector<Shape> kShapes = {
    {1, 1, 1},     {4, 1, 4},     {3, 5, 2},     {1, 256, 784},  {2, 10, 128},   {7, 33, 65},
    {8, 32, 256},  {9, 31, 257},  {17, 47, 300}, {64, 256, 784}, {256, 10, 128}, {10, 128, 64},
    {100, 90, 70}, {33, 784, 40}, {5, 600, 513}, {1, 10, 128},   {3, 7, 100},    {1, 19, 40}};

template <typename T>
Matrix<T> random_matrix(Index rows, Index columns, Random& random) {
  Matrix<T> matrix(rows, columns);
  for (Index i = 0; i < matrix.size(); ++i)
    matrix.data()[i] = T(2 * random.uniform() - 1);
  return matrix;
}

// Rounding differs from the plain loop's (fused multiply-adds, blocked sums) by at most a few
// units in the last place of each term, summed over the depth.
template <typename T>
void expect_close(const Matrix<T>& actual, const Matrix<T>& expected, Index depth,
                  const std::string& what) {
  const double tolerance = 4.0 * double(depth) * std::numeric_limits<T>::epsilon();
  ASSERT_EQ(actual.rows(), expected.rows()) << what;
  ASSERT_EQ(actual.cols(), expected.cols()) << what;
  for (Index i = 0; i < actual.size(); ++i) {
    ASSERT_NEAR(double(actual.data()[i]), double(expected.data()[i]), tolerance)
        << what << " element " << i;
  }
}

template <typename T>
void check_against_reference(const Shape& shape, kernels::ThreadPool* pool) {
  Random random(/*seed=*/shape.m * 1000003 + shape.n * 1009 + shape.k);
  const auto [m, n, k] = shape;
  const std::string what = describe(shape);
  const Matrix<T> a = random_matrix<T>(m, k, random);
  const Matrix<T> b_rows = random_matrix<T>(n, k, random);  // b for a · bᵀ
  const Matrix<T> b = random_matrix<T>(k, n, random);       // b for a · b
  const Matrix<T> d = random_matrix<T>(k, m, random);       // a for aᵀ · b
  const Matrix<T> start = random_matrix<T>(m, n, random);   // what aᵀ · b adds to

  Matrix<T> fast(m, n), plain(m, n);
  kernels::matmul_abt<T>(a, b_rows, fast, pool);
  kernels::reference::matmul_abt<T>(a, b_rows, plain);
  expect_close(fast, plain, k, "a·bᵀ " + what);

  kernels::matmul_ab<T>(a, b, fast, pool);
  kernels::reference::matmul_ab<T>(a, b, plain);
  expect_close(fast, plain, k, "a·b " + what);

  fast = start;
  plain = start;
  kernels::matmul_atb_add<T>(d, b, fast, pool);
  kernels::reference::matmul_atb_add<T>(d, b, plain);
  expect_close(fast, plain, k + 1, "out += aᵀ·b " + what);

  kernels::matmul_atb<T>(d, b, fast, pool);
  kernels::reference::matmul_atb<T>(d, b, plain);
  expect_close(fast, plain, k, "aᵀ·b " + what);

  fast = start;
  plain = start;
  kernels::matmul_abt_add<T>(a, b_rows, fast, pool);
  kernels::reference::matmul_abt_add<T>(a, b_rows, plain);
  expect_close(fast, plain, k + 1, "out += a·bᵀ " + what);
}

// Every microkernel this CPU can run, not only the one it picks: those of the other
// architecture are skipped.
class EveryKernel : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    if (!kernels::use_matmul_kernel(GetParam())) GTEST_SKIP() << "CPU lacks " << GetParam();
  }
  void TearDown() override { kernels::use_matmul_kernel(chosen_); }

 private:
  std::string chosen_ = kernels::matmul_kernel();
};

TEST_P(EveryKernel, AgreesWithThePlainDefinitionsInFloat) {
  for (const Shape& shape : kShapes)
    check_against_reference<float>(shape, nullptr);
}

TEST_P(EveryKernel, AgreesWithThePlainDefinitionsInDouble) {
  for (const Shape& shape : kShapes)
    check_against_reference<double>(shape, nullptr);
}

INSTANTIATE_TEST_SUITE_P(Matmul, EveryKernel,
                         ::testing::Values("avx512", "avx2", "neon", "portable"),
                         [](const auto& info) { return std::string(info.param); });

TEST(Matmul, AgreesWithThePlainDefinitionsOnThreads) {
  kernels::ThreadPool pool(3);
  for (const Shape& shape : kShapes) {
    check_against_reference<float>(shape, &pool);
    check_against_reference<double>(shape, &pool);
  }
}

// Operands that are blocks of larger matrices: rows further apart than their length.
TEST(Matmul, ReadsAndWritesViewsWithGaps) {
  Random random(/*seed=*/8);
  const Matrix<float> big_a = random_matrix<float>(70, 300, random);
  const Matrix<float> big_b = random_matrix<float>(50, 300, random);
  Matrix<float> big_out = Matrix<float>::Constant(80, 90, 7.0f);
  auto a = big_a.block(3, 5, 60, 260);
  auto b = big_b.block(1, 11, 40, 260);
  auto out = big_out.block(10, 20, 60, 40);

  kernels::matmul_abt<float>(a, b, out);
  Matrix<float> plain(60, 40);
  kernels::reference::matmul_abt<float>(a, b, plain);
  expect_close<float>(out, plain, 260, "blocks");
  big_out.block(10, 20, 60, 40).setConstant(7.0f);
  EXPECT_TRUE((big_out.array() == 7.0f).all()) << "wrote outside its block";
}

// Each output element is one fixed chain of multiply-adds, whoever computes it.
TEST(Matmul, SameBitsOnAnyThreadCount) {
  Random random(/*seed=*/4);
  const Matrix<float> a = random_matrix<float>(256, 784, random);
  const Matrix<float> w = random_matrix<float>(300, 784, random);
  const Matrix<float> d = random_matrix<float>(256, 300, random);
  Matrix<float> out_alone(256, 300), dweight_alone = Matrix<float>::Zero(300, 784),
                                     dinput_alone(256, 784);
  kernels::matmul_abt<float>(a, w, out_alone);
  kernels::matmul_atb_add<float>(d, a, dweight_alone);
  kernels::matmul_ab<float>(d, w, dinput_alone);
  for (int threads : {1, 2, 3, 5}) {
    kernels::ThreadPool pool(threads);
    Matrix<float> out(256, 300), dweight = Matrix<float>::Zero(300, 784), dinput(256, 784);
    kernels::matmul_abt<float>(a, w, out, &pool);
    kernels::matmul_atb_add<float>(d, a, dweight, &pool);
    kernels::matmul_ab<float>(d, w, dinput, &pool);
    EXPECT_EQ(out, out_alone) << threads << " threads";
    EXPECT_EQ(dweight, dweight_alone) << threads << " threads";
    EXPECT_EQ(dinput, dinput_alone) << threads << " threads";
  }
}

// A single row's outputs are dot products computed several at a time; each must come out as
// if computed alone, so that an output does not depend on how many others there are.
TEST_P(EveryKernel, SingleRowOutputsDoNotDependOnTheirNeighbours) {
  Random random(/*seed=*/21);
  const Matrix<float> row = random_matrix<float>(1, 300, random);
  const Matrix<float> w = random_matrix<float>(23, 300, random);
  Matrix<float> together(1, 23), alone(1, 1);
  kernels::matmul_abt<float>(row, w, together);
  for (Index j = 0; j < w.rows(); ++j) {
    kernels::matmul_abt<float>(row, w.middleRows(j, 1), alone);
    EXPECT_EQ(together(0, j), alone(0, 0)) << "output " << j;
  }
}

TEST(Matmul, RefusesKernelsItDoesNotHave) {
  const std::string chosen = kernels::matmul_kernel();
  EXPECT_FALSE(kernels::use_matmul_kernel("sse9"));
  EXPECT_EQ(kernels::matmul_kernel(), chosen);
}

// correlate_add against its definition, computed here in long double: rows picked by offsets
// that overlap (as the taps of a convolution window do), segments of different arrays, lengths
// with and without a partial vector, and row counts that leave edge tiles on every kernel.
template <typename T>
void check_correlate(Index rows, Index columns, Index length, Index segments) {
  Random random(/*seed=*/rows * 7919 + columns * 104729 + length * 13 + segments);
  const Index a_size = rows * 5 + length, b_size = columns * 3 + length;
  std::vector<Matrix<T>> a_arrays, b_arrays;
  std::vector<const T*> a, b;
  for (Index s = 0; s < segments; ++s) {
    a_arrays.push_back(random_matrix<T>(1, a_size, random));
    b_arrays.push_back(random_matrix<T>(1, b_size, random));
  }
  for (Index s = 0; s < segments; ++s) {
    a.push_back(a_arrays[std::size_t(s)].data());
    b.push_back(b_arrays[std::size_t(s)].data());
  }
  std::vector<Index> a_offsets, b_offsets;
  for (Index i = 0; i < rows; ++i)
    a_offsets.push_back(i * 5);
  for (Index j = 0; j < columns; ++j)
    b_offsets.push_back((j * 7) % (columns * 3 + 1));  // out of order, some runs overlapping
  const Matrix<T> start = random_matrix<T>(rows, columns + 2, random);
  Matrix<T> fast = start;
  kernels::correlate_add<T>(rows, columns, length, segments, a.data(), a_offsets.data(), b.data(),
                            b_offsets.data(), fast.data(), fast.cols());
  const std::string what = "correlate " + std::to_string(rows) + "x" + std::to_string(columns) +
                           " length " + std::to_string(length) + " segments " +
                           std::to_string(segments);
  const double tolerance = 4.0 * double(length * segments + 1) * std::numeric_limits<T>::epsilon();
  for (Index i = 0; i < rows; ++i) {
    for (Index j = 0; j < columns + 2; ++j) {
      long double expected = start(i, j);
      for (Index s = 0; j < columns && s < segments; ++s) {
        for (Index p = 0; p < length; ++p) {
          expected += (long double)a[std::size_t(s)][a_offsets[std::size_t(i)] + p] *
                      b[std::size_t(s)][b_offsets[std::size_t(j)] + p];
        }
      }
      ASSERT_NEAR(double(fast(i, j)), double(expected), tolerance)
          << what << " at (" << i << ", " << j << ")" << (j >= columns ? ": outside" : "");
    }
  }
}

TEST_P(EveryKernel, CorrelateAgreesWithItsDefinition) {
  for (const auto& [rows, columns, length, segments] :
       std::vector<std::array<Index, 4>>{{1, 1, 1, 1},
                                         {6, 25, 896, 8},
                                         {16, 150, 144, 3},
                                         {5, 9, 37, 2},
                                         {4, 4, 16, 1},
                                         {3, 11, 100, 5}}) {
    check_correlate<float>(rows, columns, length, segments);
    check_correlate<double>(rows, columns, length, segments);
  }
}

// matmul_at_offsets against its definition: overlapping runs of b as a convolution's taps are,
// edge tiles in both directions, and nothing written outside the output's columns.
template <typename T>
void check_at_offsets(Index m, Index n, Index k) {
  Random random(/*seed=*/m * 31 + n * 1013 + k);
  const Matrix<T> a = random_matrix<T>(m, k + 3, random);  // rows k + 3 apart
  std::vector<Index> offsets;
  for (Index p = 0; p < k; ++p)
    offsets.push_back((p * 5) % (2 * k + 1));
  const Matrix<T> b = random_matrix<T>(1, 2 * k + 1 + n, random);
  std::vector<T> packed(std::size_t(kernels::packed_for_offsets_size<T>(m, k)));
  std::vector<T> scratch(std::size_t(kernels::matmul_at_offsets_scratch_size<T>(k)));
  kernels::pack_for_offsets<T>(m, k, a.data(), a.cols(), 1, packed.data());
  Matrix<T> fast = Matrix<T>::Constant(m, n + 2, T(7));
  kernels::matmul_at_offsets<T>(m, n, k, packed.data(), b.data(), offsets.data(), fast.data(),
                                fast.cols(), scratch.data());
  const std::string what =
      "at offsets " + std::to_string(m) + "x" + std::to_string(n) + "x" + std::to_string(k);
  for (Index i = 0; i < m; ++i) {
    for (Index j = 0; j < n + 2; ++j) {
      long double expected = j < n ? 0 : 7;
      for (Index p = 0; j < n && p < k; ++p)
        expected += (long double)a(i, p) * b(0, offsets[std::size_t(p)] + j);
      ASSERT_NEAR(double(fast(i, j)), double(expected),
                  4.0 * double(k) * std::numeric_limits<T>::epsilon())
          << what << " at (" << i << ", " << j << ")" << (j >= n ? ": outside" : "");
    }
  }
}

TEST_P(EveryKernel, ProductAtOffsetsAgreesWithItsDefinition) {
  for (const auto& [m, n, k] : std::vector<std::array<Index, 3>>{
           {1, 1, 1}, {6, 896, 25}, {16, 140, 150}, {5, 37, 9}, {9, 33, 7}, {17, 64, 40}}) {
    check_at_offsets<float>(m, n, k);
    check_at_offsets<double>(m, n, k);
  }
}

}  // namespace
}  // namespace scratchnet
