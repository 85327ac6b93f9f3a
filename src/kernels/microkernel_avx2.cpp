// The AVX2 microkernels; this file alone is compiled with -mavx2 -mfma.
#include <immintrin.h>

#include "microkernel.hpp"

namespace scratchnet::kernels {
namespace {

struct Float8 {
  using Scalar = float;
  using Vector = __m256;
  static constexpr int kLanes = 8;
  static Vector zero() { return _mm256_setzero_ps(); }
  static Vector load(const float* p) { return _mm256_loadu_ps(p); }
  static Vector broadcast(float x) { return _mm256_set1_ps(x); }
  static Vector multiply_add(Vector a, Vector b, Vector c) { return _mm256_fmadd_ps(a, b, c); }
  static void store(float* p, Vector x) { _mm256_storeu_ps(p, x); }
};

struct Double4 {
  using Scalar = double;
  using Vector = __m256d;
  static constexpr int kLanes = 4;
  static Vector zero() { return _mm256_setzero_pd(); }
  static Vector load(const double* p) { return _mm256_loadu_pd(p); }
  static Vector broadcast(double x) { return _mm256_set1_pd(x); }
  static Vector multiply_add(Vector a, Vector b, Vector c) { return _mm256_fmadd_pd(a, b, c); }
  static void store(double* p, Vector x) { _mm256_storeu_pd(p, x); }
};

}  // namespace

// 6 × 2 vectors: 12 accumulators of the 16 registers, leaving room for the operands.
Microkernels avx2_microkernels() {
  return {"avx2", microkernel<Float8, 6, 2>(), microkernel<Double4, 6, 2>()};
}

}  // namespace scratchnet::kernels
