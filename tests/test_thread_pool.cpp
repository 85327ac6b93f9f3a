// The thread pool runs every part of a job exactly once and returns when all are done.
#include <gtest/gtest.h>

#include <array>
#include <atomic>
#include <vector>

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

// Jobs of changing sizes back to back, on eight threads (more than the cores, so workers wake
// late): none may run a part of the next job twice, or one that does not exist, or leave the
// caller waiting. A claim that read one job's index with another's count did both, failing or
// hanging here about one run in three.
TEST(ThreadPool, JobsOfChangingSizesRunEachPartOnce) {
  ThreadPool pool(8);
  std::array<std::atomic<int>, 16> runs{};
  for (int job = 0; job < 100000; ++job) {
    const Index parts = 1 + (job * 7) % 13;
    for (auto& count : runs)
      count.store(0, std::memory_order_relaxed);
    pool.run(parts, [&](Index i) { runs[std::size_t(i)].fetch_add(1); });
    for (Index i = 0; i < Index(runs.size()); ++i) {
      ASSERT_EQ(runs[std::size_t(i)].load(), i < parts ? 1 : 0)
          << "job " << job << " of " << parts << " parts, part " << i;
    }
  }
}

TEST(ThreadPool, RejectsBadThreadCounts) {
  EXPECT_THROW(ThreadPool(0), std::invalid_argument);
  EXPECT_THROW(ThreadPool(257), std::invalid_argument);
}

// Matrix products over the pool: tests/test_matmul.cpp.

}  // namespace
}  // namespace scratchnet
