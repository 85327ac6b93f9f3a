#pragma once
// A fixed set of threads that run the parts of one job and return when all are done. The
// caller's thread works too, so a pool of N threads starts N − 1 workers.
//
// Results never depend on the number of threads: a job is split into parts by its size alone
// (never by the thread count), each part is computed whole by one thread, and parts write
// disjoint outputs. Any thread count gives the same bits as one.
//
// A training step posts a dozen short jobs (tens of microseconds each), so waking a sleeping
// thread for each would cost as much as the work. Workers therefore spin for a while after a job
// before they sleep, and the caller spins while the last parts finish.
//
// Each thread starts on its own run of consecutive parts, the same run for every job of the same
// size, so the weights a part reads tend to stay in that core's cache from one step to the next.
// A thread that runs out steals single parts from the end of the others' runs, so the caller
// finishes a job alone when the machine is busy and a worker is not running.

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "scratchnet/matrix.hpp"

namespace scratchnet::kernels {

class ThreadPool {
 public:
  /// A pool of `threads` threads (the caller's included); throws std::invalid_argument unless
  /// 1 <= threads <= 256.
  explicit ThreadPool(int threads);
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;
  ~ThreadPool();

  int threads() const { return int(workers_.size()) + 1; }

  /// Runs part(i) for every i in [0, parts) across the threads and returns when all are done.
  /// Allocates nothing. `part` must not throw, nor call run() on this pool. parts < 2^31.
  template <typename Part>
  void run(Index parts, const Part& part) {
    if (workers_.empty() || parts <= 1) {
      for (Index i = 0; i < parts; ++i)
        part(i);
      return;
    }
    dispatch(parts, &part, [](const void* job, Index i) { (*static_cast<const Part*>(job))(i); });
  }

 private:
  using Invoke = void (*)(const void* job, Index part);

  void dispatch(Index parts, const void* job, Invoke invoke);
  Index claim_part(int thread);
  void work_on_parts(int thread);
  bool wait_for_job(std::uint64_t seen);
  void worker(int thread);

  // A job is handed over through atomics alone; the mutex only guards going to sleep.
  // A run of parts is claimed from one word holding both its end and its next part, so a claim
  // always sees one job's bounds together. A worker that wakes late can only claim a part of
  // the job that is running (and then runs it, reading posted_.job and .invoke, which do not
  // change until every part is done), or find nothing left: the caller never waits for a worker
  // that has no part.
  //
  // What a worker reads to start on a job, in one cache line: it travels to the worker's core
  // once per job.
  struct alignas(64) PostedJob {
    std::atomic<std::uint64_t> count{0};  // jobs posted so far
    std::atomic<bool> stopping{false};
    const void* job = nullptr;  // read only by a thread holding a claimed part of the job
    Invoke invoke = nullptr;
  };
  PostedJob posted_;
  struct alignas(64) Run {                 // a cache line each: the threads claim apart
    std::atomic<std::uint64_t> claims{0};  // end << 32 | next part to hand out
  };
  std::vector<Run> runs_;  // one per thread; the caller is thread 0
  // The parts of all jobs so far done, never reset (a reset would be one more trip of the line
  // between cores), and posted (the caller's own count).
  alignas(64) std::atomic<Index> parts_done_{0};
  Index parts_posted_ = 0;
  std::mutex mutex_;
  std::condition_variable job_posted_;
  std::vector<std::thread> workers_;
};

/// Runs part(i) for every i in [0, parts): on `pool` when there is one, else in turn on the
/// calling thread.
template <typename Part>
void run_parts(ThreadPool* pool, Index parts, const Part& part) {
  if (pool != nullptr) {
    pool->run(parts, part);
  } else {
    for (Index i = 0; i < parts; ++i)
      part(i);
  }
}

/// Cuts [0, count) into slices of `slice` (the last one shorter) and runs slice_of(first, size)
/// for each, as run_parts does. The cut depends on the sizes alone, never on the thread count.
template <typename Slice>
void run_slices(ThreadPool* pool, Index count, Index slice, const Slice& slice_of) {
  run_parts(pool, (count + slice - 1) / slice, [&](Index part) {
    const Index first = part * slice;
    slice_of(first, count - first < slice ? count - first : slice);
  });
}

}  // namespace scratchnet::kernels
