// The thread pool runs every part of a job exactly once and returns when all are done; the
// matrix products give the same bits on any number of threads, and agree with a plain
// triple loop.
#include <gtest/gtest.h>

#include <atomic>
#include <vector>

#include "gradient_check.hpp"
#include "scratchnet/kernels/matmul.hpp"
#include "scratchnet/kernels/thread_pool.hpp"

namespace scratchnet {
namespace {

using kernels::ThreadPool;

TEST(ThreadPool, RunsEveryPartExactlyOnce) {
  for (int threads : {1, 2, 3, 8}) {
    ThreadPool pool(threads);
    EXPECT_EQ(pool.threads(), threads);
    for (Index parts : {0, 1, 2, 7, 100}) {
      std::vector<std::atomic<int>> runs(static_cast<std::size_t>(parts));
      pool.run(parts, [&](Index i) { ++runs[std::size_t(i)]; });
      for (Index i = 0; i < parts; ++i) {
        EXPECT_EQ(runs[std::size_t(i)], 1) << threads << " threads, part " << i << " of " << parts;
      }
    }
  }
}

// Many short jobs in a row: a lost wake-up or a worker that misses a job would hang or
// miscount here.
TEST(ThreadPool, ManyJobsInARow) {
  ThreadPool pool(3);
  std::atomic<long> total{0};
  for (int job = 0; job < 20000; ++job)
    pool.run(3, [&](Index i) { total += i + 1; });
  EXPECT_EQ(total, 20000L * 6);
}

TEST(ThreadPool, RejectsBadThreadCounts) {
  EXPECT_THROW(ThreadPool(0), std::invalid_argument);
  EXPECT_THROW(ThreadPool(257), std::invalid_argument);
}

// The plain definition: out(i, j) = Σ_k a(i, k) · b(j, k).
Matrix<double> reference_abt(const Matrix<double>& a, const Matrix<double>& b) {
  Matrix<double> out = Matrix<double>::Zero(a.rows(), b.rows());
  for (Index i = 0; i < a.rows(); ++i) {
    for (Index j = 0; j < b.rows(); ++j) {
      for (Index k = 0; k < a.cols(); ++k)
        out(i, j) += a(i, k) * b(j, k);
    }
  }
  return out;
}

TEST(Matmul, SameBitsOnAnyThreadCountAndAgreesWithThePlainLoops) {
  Random random(/*seed=*/4);
  const Matrix<double> a = testing::random_matrix(100, 70, random);  // 4 blocks of rows
  const Matrix<double> b = testing::random_matrix(90, 70, random);
  const Matrix<double> c = testing::random_matrix(100, 90, random);
  const Matrix<double> expected = reference_abt(a, b);

  Matrix<double> alone(100, 90), dweight_alone = Matrix<double>::Zero(90, 70),
                                 dinput_alone(100, 70);
  kernels::matmul_abt<double>(a, b, alone);
  kernels::matmul_atb_add<double>(c, a, dweight_alone);
  kernels::matmul_ab<double>(c, b, dinput_alone);
  EXPECT_TRUE(alone.isApprox(expected, 1e-13));
  EXPECT_TRUE(dweight_alone.isApprox(c.transpose() * a, 1e-13));
  EXPECT_TRUE(dinput_alone.isApprox(c * b, 1e-13));

  for (int threads : {1, 2, 3}) {
    ThreadPool pool(threads);
    Matrix<double> out(100, 90), dweight = Matrix<double>::Zero(90, 70), dinput(100, 70);
    kernels::matmul_abt<double>(a, b, out, &pool);
    kernels::matmul_atb_add<double>(c, a, dweight, &pool);
    kernels::matmul_ab<double>(c, b, dinput, &pool);
    EXPECT_EQ(out, alone) << threads << " threads";
    EXPECT_EQ(dweight, dweight_alone) << threads << " threads";
    EXPECT_EQ(dinput, dinput_alone) << threads << " threads";
  }
}

}  // namespace
}  // namespace scratchnet
