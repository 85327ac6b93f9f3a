// Microkernels in plain C++ for CPUs without AVX2: one scalar per "vector", left to the
// compiler. Correct everywhere, and the yardstick the vector kernels are tested against.
#include "microkernel.hpp"

namespace scratchnet::kernels {
namespace {

template <typename T>
struct Scalar1 {
  using Scalar = T;
  using Vector = T;
  static constexpr int kLanes = 1;
  static Vector zero() { return T(0); }
  static Vector load(const T* p) { return *p; }
  static Vector broadcast(T x) { return x; }
  static Vector multiply_add(Vector a, Vector b, Vector c) { return c + a * b; }
  static void store(T* p, Vector x) { *p = x; }
  static T sum(Vector x) { return x; }
};

}  // namespace

Microkernels portable_microkernels() {
  return {"portable", microkernel<Scalar1<float>, 4, 4>(), microkernel<Scalar1<double>, 4, 4>()};
}

}  // namespace scratchnet::kernels
