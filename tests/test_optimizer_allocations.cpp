// After its first step an optimizer allocates nothing: every step, learning-rate change, schedule
// lookup and gradient clip of a training loop runs without touching the heap.
//
// This executable counts allocations two ways, so that the replacement affects no other test:
//  - operator new and delete are replaced below with counting versions (std::vector et al.);
//  - Eigen allocates with malloc, not new, so the test links with -Wl,--wrap=malloc (and calloc,
//    realloc): every malloc call in the statically linked library and in this file comes to
//    __wrap_malloc below, which counts it and forwards to the real malloc (or the sanitizers').
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <vector>

#include "optimizer_configurations.hpp"
#include "scratchnet/optimizers/clip_grad_norm.hpp"
#include "scratchnet/optimizers/lr_schedule.hpp"
#include "scratchnet/xor.hpp"

namespace {
std::atomic<long> allocations{0};
}  // namespace

extern "C" {
void* __real_malloc(std::size_t size);
void* __real_calloc(std::size_t count, std::size_t size);
void* __real_realloc(void* pointer, std::size_t size);

void* __wrap_malloc(std::size_t size) {
  ++allocations;
  return __real_malloc(size);
}
void* __wrap_calloc(std::size_t count, std::size_t size) {
  ++allocations;
  return __real_calloc(count, size);
}
void* __wrap_realloc(void* pointer, std::size_t size) {
  ++allocations;
  return __real_realloc(pointer, size);
}
}

void* operator new(std::size_t size) {
  ++allocations;
  if (void* pointer = __real_malloc(size == 0 ? 1 : size)) return pointer;
  throw std::bad_alloc();
}
void operator delete(void* pointer) noexcept {
  std::free(pointer);
}
void operator delete(void* pointer, std::size_t) noexcept {
  std::free(pointer);
}

namespace scratchnet {
namespace {

// The counter sees what it must: a std::vector (operator new) and an Eigen matrix made inside
// the library (malloc, through --wrap).
TEST(AllocationCounter, SeesNewAndTheLibrarysMalloc) {
  long before = allocations;
  std::vector<int> numbers(8);
  EXPECT_GT(allocations - before, 0);
  before = allocations;
  const Matrix<double> inputs = xor_inputs();  // Matrix<double>(4, 2), allocated in src/xor.cpp
  EXPECT_GT(allocations - before, 0);
}

template <typename T>
void check_no_allocation_after_first_step() {
  for (const auto& optimizer : testing::every_optimizer_configuration<T>()) {
    SCOPED_TRACE(optimizer->name());
    using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;
    Vector parameters = Vector::LinSpaced(37, -2, 2);
    Vector gradients = parameters.array().sin();
    VectorView<T> theta(parameters.data(), parameters.size());
    VectorView<T> dtheta(gradients.data(), gradients.size());
    const LrSchedule schedule = LrSchedule::cosine(/*base_lr=*/0.1, /*total_steps=*/5,
                                                   /*min_lr=*/0.01)
                                    .with_warmup(2);
    optimizer->step(theta, dtheta);  // allocates the state

    const long before = allocations;
    for (std::int64_t t = 0; t < 10; ++t) {
      optimizer->set_learning_rate(schedule.at(t));
      dtheta.array() = T(3) * theta.array().cos();
      clip_grad_norm(dtheta, /*max_norm=*/T(1));
      optimizer->step(theta, dtheta);
    }
    EXPECT_EQ(allocations - before, 0);
    EXPECT_TRUE(parameters.allFinite());
  }
}

TEST(OptimizerAllocations, NoneAfterTheFirstStep) {
  check_no_allocation_after_first_step<double>();
  check_no_allocation_after_first_step<float>();
}

}  // namespace
}  // namespace scratchnet
