#pragma once
// e^x and the logistic sigmoid on one AVX-512 register of eight doubles, as exp_reference()
// computes each lane (kernels/exp.hpp): the building block of the AVX-512 array kernels
// (exp_avx512.cpp) and of loops that keep their values in registers (Stage 1's seed network).
// Only for code compiled for AVX-512F without fused multiply-adds (-mavx512f
// -ffp-contract=off, or the same as a target pragma): every lane must round as the scalar
// reference does.
#include <immintrin.h>

#include <cstdint>

#include "exp_algorithm.hpp"

namespace scratchnet::kernels::exp_detail {

inline __m512d constant(double value) {
  return _mm512_set1_pd(value);
}

// 64-bit lanes shifted left (__m512i is a GCC vector of eight 64-bit integers, so << is vpsllq;
// _mm512_slli_epi64 would start from an "undefined" vector that GCC 12 warns about).
inline __m512i shift_left(__m512i bits, int count) {
  return bits << count;
}

// The table, two registers per column: table[j] for j < 16 is a permute of the pair.
// (A written constructor, not member initialisers: an implicit one would be compiled without
// the AVX-512 target of a file that asks for it by pragma.)
struct Table {
  Table()
      : tail_low(_mm512_load_pd(tail)),
        tail_high(_mm512_load_pd(tail + 8)),
        bits_low(_mm512_load_si512(scale_bits)),
        bits_high(_mm512_load_si512(scale_bits + 8)) {}
  __m512d tail_low, tail_high;
  __m512i bits_low, bits_high;
};

// e^x in each lane, as exp_reference() computes it for |x| < 512; the mask has a bit set for
// each lane that needs exp_reference() instead.
[[gnu::always_inline]] inline __m512d exp_lanes(__m512d x, const Table& table, __mmask8& large) {
  const __m512i abs_bits = _mm512_and_epi64(_mm512_castpd_si512(x), _mm512_set1_epi64(INT64_MAX));
  large = _mm512_cmpge_epu64_mask(abs_bits, _mm512_set1_epi64(std::int64_t(kLargeAbsBits)));

  __m512d k = _mm512_add_pd(_mm512_mul_pd(constant(kInvLn2N), x), constant(kShift));
  const __m512i k_bits = _mm512_castpd_si512(k);
  k = _mm512_sub_pd(k, constant(kShift));
  const __m512d r = _mm512_add_pd(_mm512_add_pd(x, _mm512_mul_pd(k, constant(kNegLn2hiN))),
                                  _mm512_mul_pd(k, constant(kNegLn2loN)));
  // The permutes read the low 4 bits of each index: j = k mod 16.
  const __m512d tail_j = _mm512_permutex2var_pd(table.tail_low, k_bits, table.tail_high);
  const __m512i scale_bits_k =
      _mm512_add_epi64(_mm512_permutex2var_epi64(table.bits_low, k_bits, table.bits_high),
                       shift_left(k_bits, 52 - kTableBits));
  const __m512d r2 = _mm512_mul_pd(r, r);
  const __m512d r4 = _mm512_mul_pd(r2, r2);
  const __m512d c23 = _mm512_add_pd(constant(kC2), _mm512_mul_pd(r, constant(kC3)));
  const __m512d c45 = _mm512_add_pd(constant(kC4), _mm512_mul_pd(r, constant(kC5)));
  const __m512d c67 = _mm512_add_pd(constant(kC6), _mm512_mul_pd(r, constant(kC7)));
  const __m512d poly =
      _mm512_add_pd(_mm512_add_pd(c23, _mm512_mul_pd(r2, c45)), _mm512_mul_pd(r4, c67));
  const __m512d tmp = _mm512_add_pd(_mm512_add_pd(tail_j, r), _mm512_mul_pd(r2, poly));
  const __m512d scale = _mm512_castsi512_pd(scale_bits_k);
  return _mm512_add_pd(scale, _mm512_mul_pd(scale, tmp));
}

// Redoes the lanes of `y` that `large` marks with exp_reference(): out of line, so that the
// common path keeps no scratch arrays on the stack.
[[gnu::noinline, gnu::cold]] inline __m512d redo_large_lanes(__m512d x, __m512d y, __mmask8 large) {
  alignas(64) double xs[8];
  alignas(64) double ys[8];
  _mm512_store_pd(xs, x);
  _mm512_store_pd(ys, y);
  for (int lane = 0; lane < 8; ++lane) {
    if ((large >> lane) & 1) ys[lane] = exp_reference(xs[lane]);
  }
  return _mm512_load_pd(ys);
}

// e^x in the lanes of `active`.
[[gnu::always_inline]] inline __m512d exp_active_lanes(__m512d x, const Table& table,
                                                       __mmask8 active) {
  __mmask8 large;
  const __m512d y = exp_lanes(x, table, large);
  large &= active;
  if (large != 0) [[unlikely]]
    return redo_large_lanes(x, y, large);
  return y;
}

// 1 / (1 + e^(−x)) in the lanes of `active`.
[[gnu::always_inline]] inline __m512d sigmoid_active_lanes(__m512d x, const Table& table,
                                                           __mmask8 active) {
  const __m512d negated =
      _mm512_castsi512_pd(_mm512_xor_epi64(_mm512_castpd_si512(x), _mm512_set1_epi64(INT64_MIN)));
  const __m512d one = constant(1.0);
  return _mm512_div_pd(one, _mm512_add_pd(one, exp_active_lanes(negated, table, active)));
}

}  // namespace scratchnet::kernels::exp_detail
