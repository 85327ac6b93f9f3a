#pragma once
// e^x and the logistic sigmoid on one AVX-512 register of eight doubles: kernels/exp_lanes.hpp's
// algorithm with the table lookup of AVX-512F, two-register permutes. The building block of the
// AVX-512 array kernels (exp_avx512.cpp) and of loops that keep their values in registers
// (Stage 1's seed network, xor_avx512.cpp). Only for code compiled for AVX-512F without fused
// multiply-adds (-mavx512f -ffp-contract=off, or the same as a target pragma): every lane must
// round as the scalar reference does.
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "exp_lanes.hpp"

namespace scratchnet::kernels::exp_detail {

struct Avx512 {
  using Doubles = double __attribute__((vector_size(64)));  // __m512d without may_alias
  using Bits = std::uint64_t __attribute__((vector_size(64)));
  using Mask = __mmask8;
  static constexpr int kLanes = 8;

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

  // The permutes read the low 4 bits of each index: j = k mod 16.
  [[gnu::always_inline]] static TableEntries<Doubles, Bits> lookup(const Table& table,
                                                                   Bits k_bits) {
    const __m512i j = reinterpret<__m512i>(k_bits);
    return {_mm512_permutex2var_pd(table.tail_low, j, table.tail_high),
            reinterpret<Bits>(_mm512_permutex2var_epi64(table.bits_low, j, table.bits_high))};
  }

  [[gnu::always_inline]] static Mask large_lanes(Bits abs_bits) {
    return _mm512_cmpge_epu64_mask(reinterpret<__m512i>(abs_bits),
                                   _mm512_set1_epi64(std::int64_t(kLargeAbsBits)));
  }
  [[gnu::always_inline]] static bool any(Mask mask) { return mask != 0; }
  [[gnu::always_inline]] static bool is_set(Mask mask, int lane) { return (mask >> lane) & 1; }

  // The first `count` (< 8) lanes, under a mask: the rest read as zeros and are not written.
  [[gnu::always_inline]] static Doubles load_first(const double* x, std::ptrdiff_t count) {
    return _mm512_maskz_loadu_pd(__mmask8((1u << count) - 1), x);
  }
  [[gnu::always_inline]] static void store_first(double* y, Doubles v, std::ptrdiff_t count) {
    _mm512_mask_storeu_pd(y, __mmask8((1u << count) - 1), v);
  }
};

using Table = Avx512::Table;

/// e^x in the lanes of `active`, as exp_reference() computes them (other lanes: anything).
[[gnu::always_inline]] inline __m512d exp_active_lanes(__m512d x, const Table& table,
                                                       __mmask8 active) {
  __mmask8 large;
  const __m512d y = exp_lanes<Avx512>(x, table, large);
  large &= active;
  if (large != 0) [[unlikely]]
    return redo_large_lanes<Avx512>(x, y, large);
  return y;
}

/// 1 / (1 + e^(−x)) in the lanes of `active`, as that formula rounds with exp_reference().
[[gnu::always_inline]] inline __m512d sigmoid_active_lanes(__m512d x, const Table& table,
                                                           __mmask8 active) {
  const __m512d negated =
      _mm512_castsi512_pd(_mm512_xor_epi64(_mm512_castpd_si512(x), _mm512_set1_epi64(INT64_MIN)));
  return 1.0 / (1.0 + exp_active_lanes(negated, table, active));
}

}  // namespace scratchnet::kernels::exp_detail
