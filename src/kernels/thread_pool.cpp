#include "scratchnet/kernels/thread_pool.hpp"

#include <stdexcept>

namespace scratchnet::kernels {

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
    stopping_ = true;
  }
  job_posted_.notify_all();
  for (std::thread& thread : workers_)
    thread.join();
}

void ThreadPool::dispatch(Index parts, const void* job, Invoke invoke) {
  {
    std::lock_guard lock(mutex_);
    job_ = job;
    invoke_ = invoke;
    parts_ = parts;
    next_part_.store(0);
    workers_busy_ = int(workers_.size());
    ++generation_;
  }
  job_posted_.notify_all();
  work_on_parts();
  std::unique_lock lock(mutex_);
  job_finished_.wait(lock, [this] { return workers_busy_ == 0; });
}

// Takes parts until none are left; which thread takes which part does not matter.
void ThreadPool::work_on_parts() {
  for (Index part = next_part_.fetch_add(1); part < parts_; part = next_part_.fetch_add(1)) {
    invoke_(job_, part);
  }
}

void ThreadPool::worker() {
  std::uint64_t seen = 0;
  while (true) {
    {
      std::unique_lock lock(mutex_);
      job_posted_.wait(lock, [&] { return stopping_ || generation_ != seen; });
      if (stopping_) return;
      seen = generation_;
    }
    work_on_parts();
    std::lock_guard lock(mutex_);
    if (--workers_busy_ == 0) job_finished_.notify_one();
  }
}

}  // namespace scratchnet::kernels
