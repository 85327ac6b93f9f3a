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
  static float sum(Vector x) {
    __m128 half = _mm_add_ps(_mm256_castps256_ps128(x), _mm256_extractf128_ps(x, 1));
    half = _mm_add_ps(half, _mm_movehl_ps(half, half));
    return _mm_cvtss_f32(_mm_add_ss(half, _mm_movehdup_ps(half)));
  }
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
  static double sum(Vector x) {
    const __m128d half = _mm_add_pd(_mm256_castpd256_pd128(x), _mm256_extractf128_pd(x, 1));
    return _mm_cvtsd_f64(_mm_add_sd(half, _mm_unpackhi_pd(half, half)));
  }
};

}  // namespace

// 6 × 2 vectors: 12 accumulators of the 16 registers, leaving room for the operands; for the
// same reason 2 × 4 dot products at a time (8 accumulators, 4 + 1 operands).
Microkernels avx2_microkernels() {
  return {"avx2", microkernel<Float8, 6, 2, 2, 4>(), microkernel<Double4, 6, 2, 2, 4>()};
}

}  // namespace scratchnet::kernels
