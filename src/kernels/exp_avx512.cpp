// exp and sigmoid eight doubles at a time; this file alone is compiled with -mavx512f, and with
// -ffp-contract=off so that no multiply and add fuse: each lane rounds exactly as
// exp_reference() does. Lanes with |x| ≥ 512, inf or NaN (rare) are redone by exp_reference().
#include <immintrin.h>

#include <cstddef>

#include "exp_lanes_avx512.hpp"

namespace scratchnet::kernels::exp_detail {
namespace {

// y[i] = f(x[i]) eight at a time, the last partial group under a mask.
template <typename F>
[[gnu::always_inline]] inline void for_each_group(const double* x, double* y, std::ptrdiff_t n,
                                                  F f) {
  std::ptrdiff_t i = 0;
  for (; i + 8 <= n; i += 8)
    _mm512_storeu_pd(y + i, f(_mm512_loadu_pd(x + i), __mmask8(0xff)));
  if (i < n) {
    const auto rest = __mmask8((1u << (n - i)) - 1);
    _mm512_mask_storeu_pd(y + i, rest, f(_mm512_maskz_loadu_pd(rest, x + i), rest));
  }
}

}  // namespace

void exp_avx512(const double* x, double* y, std::ptrdiff_t n) {
  const Table table;
  for_each_group(x, y, n,
                 [&](__m512d v, __mmask8 active) { return exp_active_lanes(v, table, active); });
}

// 1 / (1 + e^(−x))
void sigmoid_avx512(const double* x, double* y, std::ptrdiff_t n) {
  const Table table;
  for_each_group(
      x, y, n, [&](__m512d v, __mmask8 active) { return sigmoid_active_lanes(v, table, active); });
}

}  // namespace scratchnet::kernels::exp_detail
