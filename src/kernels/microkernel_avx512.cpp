// The AVX-512 microkernels; this file alone is compiled with -mavx512f -mfma.
#include "intrinsics.hpp"

#include <cstdint>

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
  // The lanes of x[0, 16) that are not zero, and their positions first + lane, packed to the
  // front of `values` and `positions` (all 16 lanes are written); returns how many.
  // (Compressed in registers, then stored: a compressing store is microcode on AMD's cores.)
  static int compress_nonzero(const float* x, std::int32_t first, std::int32_t* positions,
                              float* values) {
    const __m512 lanes = _mm512_loadu_ps(x);
    const __mmask16 keep = _mm512_cmp_ps_mask(lanes, _mm512_setzero_ps(), _CMP_NEQ_UQ);
    const __m512i lane_positions =
        _mm512_add_epi32(_mm512_set1_epi32(first),
                         _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
    _mm512_storeu_ps(values, _mm512_maskz_compress_ps(keep, lanes));
    _mm512_storeu_si512(positions, _mm512_maskz_compress_epi32(keep, lane_positions));
    return __builtin_popcount(keep);
  }
  static float sum(Vector x) {  // halves folded onto each other, down to one lane
    x = _mm512_add_ps(x, _mm512_shuffle_f32x4(x, x, _MM_SHUFFLE(1, 0, 3, 2)));
    x = _mm512_add_ps(x, _mm512_shuffle_f32x4(x, x, _MM_SHUFFLE(2, 3, 0, 1)));
    __m128 quarter = _mm512_castps512_ps128(x);
    quarter = _mm_add_ps(quarter, _mm_movehl_ps(quarter, quarter));
    return _mm_cvtss_f32(_mm_add_ss(quarter, _mm_movehdup_ps(quarter)));
  }
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
  static double sum(Vector x) {
    x = _mm512_add_pd(x, _mm512_shuffle_f64x2(x, x, _MM_SHUFFLE(1, 0, 3, 2)));
    x = _mm512_add_pd(x, _mm512_shuffle_f64x2(x, x, _MM_SHUFFLE(2, 3, 0, 1)));
    const __m128d quarter = _mm512_castpd512_pd128(x);
    return _mm_cvtsd_f64(_mm_add_sd(quarter, _mm_unpackhi_pd(quarter, quarter)));
  }
};

}  // namespace

// 8 × 2 vectors: 16 accumulators, enough to hide the FMA latency on both pipes, and 8 rows
// divide the batch sizes people use.
Microkernels avx512_microkernels() {
  return {"avx512", microkernel<Float16, 8, 2>(), microkernel<Double8, 8, 2>()};
}

}  // namespace scratchnet::kernels
