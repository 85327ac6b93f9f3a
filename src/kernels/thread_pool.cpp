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
#elif defined(__aarch64__)
    asm volatile("yield");  // AArch64's spin-wait hint
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
  runs_ = std::vector<Run>(std::size_t(threads));
  workers_.reserve(std::size_t(threads - 1));
  for (int thread = 1; thread < threads; ++thread)
    workers_.emplace_back([this, thread] { worker(thread); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(mutex_);
    posted_.stopping.store(true);
  }
  job_posted_.notify_all();
  for (std::thread& thread : workers_)
    thread.join();
}

void ThreadPool::dispatch(Index parts, const void* job, Invoke invoke) {
  posted_.job = job;
  posted_.invoke = invoke;
  parts_posted_ += parts;
  const auto threads = std::uint64_t(runs_.size());
  for (std::uint64_t thread = 0; thread < threads; ++thread) {
    const std::uint64_t first = std::uint64_t(parts) * thread / threads;
    const std::uint64_t end = std::uint64_t(parts) * (thread + 1) / threads;
    runs_[thread].claims.store(end << 32 | first, std::memory_order_release);
  }
  {
    // Under the lock, so that a worker about to sleep either sees the new job or is woken.
    std::lock_guard lock(mutex_);
    posted_.count.fetch_add(1, std::memory_order_release);
  }
  job_posted_.notify_all();
  work_on_parts(0);
  for (std::int64_t spins = 0; parts_done_.load(std::memory_order_acquire) != parts_posted_;
       ++spins)
    relax(spins);
}

// The next unclaimed part of the running job, or -1 when none is left: the front of this
// thread's own run, else the back of another's.
Index ThreadPool::claim_part(int thread) {
  const auto threads = int(runs_.size());
  for (int offset = 0; offset < threads; ++offset) {
    std::atomic<std::uint64_t>& claims = runs_[std::size_t((thread + offset) % threads)].claims;
    std::uint64_t seen = claims.load(std::memory_order_acquire);
    while (true) {
      const std::uint64_t next = seen & 0xffffffffu, end = seen >> 32;
      if (next >= end) break;
      const bool own = offset == 0;
      const std::uint64_t claimed = own ? seen + 1 : seen - (std::uint64_t(1) << 32);
      if (claims.compare_exchange_weak(seen, claimed, std::memory_order_acq_rel)) {
        return Index(own ? next : end - 1);
      }
    }
  }
  return -1;
}

// Takes parts until none are left; which thread takes which part does not matter. The parts
// done are counted once at the end: a count shared by the threads is a cache line passed from
// core to core, and passing it after every part cost more than a short part itself.
void ThreadPool::work_on_parts(int thread) {
  Index done = 0;
  for (Index part = claim_part(thread); part >= 0; part = claim_part(thread)) {
    posted_.invoke(posted_.job, part);
    ++done;
  }
  if (done > 0) parts_done_.fetch_add(done, std::memory_order_release);
}

// Waits until a job after `seen` is posted: spinning first, then asleep. False when stopping.
bool ThreadPool::wait_for_job(std::uint64_t seen) {
  const auto spin_until = std::chrono::steady_clock::now() + kSpinTime;
  for (std::int64_t spins = 0; posted_.count.load(std::memory_order_acquire) == seen; ++spins) {
    if (posted_.stopping.load(std::memory_order_relaxed)) return false;
    relax(spins);
    if (spins % 64 == 63 && std::chrono::steady_clock::now() > spin_until) {
      std::unique_lock lock(mutex_);
      job_posted_.wait(lock, [&] {
        return posted_.stopping.load() || posted_.count.load(std::memory_order_acquire) != seen;
      });
    }
  }
  return !posted_.stopping.load(std::memory_order_relaxed);
}

void ThreadPool::worker(int thread) {
  std::uint64_t seen = 0;
  while (wait_for_job(seen)) {
    seen = posted_.count.load(std::memory_order_acquire);
    work_on_parts(thread);
  }
}

}  // namespace scratchnet::kernels
