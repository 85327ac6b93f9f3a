#include "scratchnet/kernels/thread_pool.hpp"

#include <chrono>
#include <stdexcept>
#include <string>

namespace scratchnet::kernels {
namespace {

// How long an idle worker spins before it sleeps: longer than the gaps between the jobs of a
// training step, short enough that an idle pool costs nothing noticeable.
constexpr auto kSpinTime = std::chrono::microseconds(200);

// One turn of a spin-wait: a pause at first; later a yield, in case the thread being waited
// for shares this core (more threads than cores, or other processes).
void relax(std::int64_t spins) {
  if (spins < 1024) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
  } else {
    std::this_thread::yield();
  }
}

}  // namespace

ThreadPool::ThreadPool(int threads) {
  if (threads < 1 || threads > 256) {
    throw std::invalid_argument("thread count must be in 1..256, got " + std::to_string(threads));
  }
  workers_.reserve(std::size_t(threads - 1));
  for (int i = 1; i < threads; ++i)
    workers_.emplace_back([this] { worker(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_.store(true);
  }
  job_posted_.notify_all();
  for (std::thread& thread : workers_)
    thread.join();
}

void ThreadPool::dispatch(Index parts, const void* job, Invoke invoke) {
  job_ = job;
  invoke_ = invoke;
  parts_done_.store(0, std::memory_order_relaxed);
  claims_.store(std::uint64_t(parts) << 32, std::memory_order_release);
  {
    // Under the lock, so that a worker about to sleep either sees the new job or is woken.
    std::lock_guard lock(mutex_);
    jobs_posted_.fetch_add(1, std::memory_order_release);
  }
  job_posted_.notify_all();
  work_on_parts();
  for (std::int64_t spins = 0; parts_done_.load(std::memory_order_acquire) != parts; ++spins)
    relax(spins);
}

// The next unclaimed part of the running job, or -1 when none is left.
Index ThreadPool::claim_part() {
  std::uint64_t claims = claims_.load(std::memory_order_acquire);
  while (true) {
    const std::uint64_t next = claims & 0xffffffffu, parts = claims >> 32;
    if (next >= parts) return -1;
    if (claims_.compare_exchange_weak(claims, claims + 1, std::memory_order_acq_rel)) {
      return Index(next);
    }
  }
}

// Takes parts until none are left; which thread takes which part does not matter.
void ThreadPool::work_on_parts() {
  for (Index part = claim_part(); part >= 0; part = claim_part()) {
    invoke_(job_, part);
    parts_done_.fetch_add(1, std::memory_order_release);
  }
}

// Waits until a job after `seen` is posted: spinning first, then asleep. False when stopping.
bool ThreadPool::wait_for_job(std::uint64_t seen) {
  const auto spin_until = std::chrono::steady_clock::now() + kSpinTime;
  for (std::int64_t spins = 0; jobs_posted_.load(std::memory_order_acquire) == seen; ++spins) {
    if (stopping_.load(std::memory_order_relaxed)) return false;
    relax(spins);
    if (spins % 64 == 63 && std::chrono::steady_clock::now() > spin_until) {
      std::unique_lock lock(mutex_);
      job_posted_.wait(lock, [&] {
        return stopping_.load() || jobs_posted_.load(std::memory_order_acquire) != seen;
      });
    }
  }
  return !stopping_.load(std::memory_order_relaxed);
}

void ThreadPool::worker() {
  std::uint64_t seen = 0;
  while (wait_for_job(seen)) {
    seen = jobs_posted_.load(std::memory_order_acquire);
    work_on_parts();
  }
}

}  // namespace scratchnet::kernels
