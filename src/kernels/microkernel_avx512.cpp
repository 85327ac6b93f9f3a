// The AVX-512 microkernels; this file alone is compiled with -mavx512f -mfma.
#include <immintrin.h>

#include "microkernel.hpp"

namespace scratchnet::kernels {
namespace {

struct Float16 {
  using Scalar = float;
  using Vector = __m512;
  static constexpr int kLanes = 16;
  static Vector zero() { return _mm512_setzero_ps(); }
  static Vector load(const float* p) { return _mm512_loadu_ps(p); }
  static Vector broadcast(float x) { return _mm512_set1_ps(x); }
  static Vector multiply_add(Vector a, Vector b, Vector c) { return _mm512_fmadd_ps(a, b, c); }
  static void store(float* p, Vector x) { _mm512_storeu_ps(p, x); }
};

struct Double8 {
  using Scalar = double;
  using Vector = __m512d;
  static constexpr int kLanes = 8;
  static Vector zero() { return _mm512_setzero_pd(); }
  static Vector load(const double* p) { return _mm512_loadu_pd(p); }
  static Vector broadcast(double x) { return _mm512_set1_pd(x); }
  static Vector multiply_add(Vector a, Vector b, Vector c) { return _mm512_fmadd_pd(a, b, c); }
  static void store(double* p, Vector x) { _mm512_storeu_pd(p, x); }
};

}  // namespace

// 8 × 2 vectors: 16 accumulators, enough to hide the FMA latency on both pipes, and 8 rows
// divide the batch sizes people use.
Microkernels avx512_microkernels() {
  return {"avx512", microkernel<Float16, 8, 2>(), microkernel<Double8, 8, 2>()};
}

}  // namespace scratchnet::kernels
