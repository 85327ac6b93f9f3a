// The NEON (Advanced SIMD) microkernels for AArch64. NEON is part of every ARMv8-A CPU, so this
// file needs no compiler flag and no run-time check; it is compiled only for AArch64 targets.
#include <arm_neon.h>

#include "microkernel.hpp"

namespace scratchnet::kernels {
namespace {

// Each multiply-add is one fused instruction (FMLA) through its intrinsic, as the AVX2 and
// AVX-512 kernels fuse through theirs; everything else of scratchnet is compiled with
// -ffp-contract=off on AArch64, so that the portable reference rounds as it does on x86-64.
struct Float4 {
  using Scalar = float;
  using Vector = float32x4_t;
  static constexpr int kLanes = 4;
  static Vector zero() { return vdupq_n_f32(0.0f); }
  static Vector load(const float* p) { return vld1q_f32(p); }
  static Vector broadcast(float x) { return vdupq_n_f32(x); }
  static Vector multiply_add(Vector a, Vector b, Vector c) { return vfmaq_f32(c, a, b); }
  static void store(float* p, Vector x) { vst1q_f32(p, x); }
  static float sum(Vector x) {  // pairs, then the two pair sums: a fixed order
    const float32x2_t pairs = vadd_f32(vget_low_f32(x), vget_high_f32(x));
    return vget_lane_f32(pairs, 0) + vget_lane_f32(pairs, 1);
  }
};

struct Double2 {
  using Scalar = double;
  using Vector = float64x2_t;
  static constexpr int kLanes = 2;
  static Vector zero() { return vdupq_n_f64(0.0); }
  static Vector load(const double* p) { return vld1q_f64(p); }
  static Vector broadcast(double x) { return vdupq_n_f64(x); }
  static Vector multiply_add(Vector a, Vector b, Vector c) { return vfmaq_f64(c, a, b); }
  static void store(double* p, Vector x) { vst1q_f64(p, x); }
  static double sum(Vector x) { return vgetq_lane_f64(x, 0) + vgetq_lane_f64(x, 1); }
};

}  // namespace

// 8 rows × 3 vectors: AArch64 has 32 vector registers (x86-64's AVX2 has 16), so a tile keeps
// 24 accumulators, the 3 vectors of b of the current step and the broadcast values of a, and
// still has a few registers to spare: no accumulator spills. Each step then does 24 FMAs for
// 3 loads of b and 8 of a, enough independent FMAs to cover their latency (4 cycles, 2 to 4
// pipes on current cores). 8 rows divide the batch sizes people use, as on AVX-512.
Microkernels neon_microkernels() {
  return {"neon", microkernel<Float4, 8, 3>(), microkernel<Double2, 8, 3>()};
}

}  // namespace scratchnet::kernels
