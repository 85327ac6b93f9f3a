#include "fma_peak.hpp"

#include <immintrin.h>

namespace scratchnet::bench {
namespace {

constexpr int kChains = 16;

// acc ← acc·a + b converges to b / (1 − a) = 1, so no value overflows or turns subnormal however
// long it runs.
__attribute__((target("avx512f"))) float rounds_avx512(std::int64_t rounds) {
  const __m512 a = _mm512_set1_ps(0.5f), b = _mm512_set1_ps(0.5f);
  __m512 acc[kChains];
  for (int chain = 0; chain < kChains; ++chain)
    acc[chain] = _mm512_set1_ps(float(chain));
  for (std::int64_t round = 0; round < rounds; ++round) {
#pragma GCC unroll 16
    for (int chain = 0; chain < kChains; ++chain)
      acc[chain] = _mm512_fmadd_ps(acc[chain], a, b);
  }
  __m512 sum = acc[0];
  for (int chain = 1; chain < kChains; ++chain)
    sum = _mm512_add_ps(sum, acc[chain]);
  // Not _mm512_reduce_add_ps, which GCC 12 wrongly warns is uninitialised.
  alignas(64) float lanes[16];
  _mm512_store_ps(lanes, sum);
  float total = 0;
  for (float lane : lanes)
    total += lane;
  return total;
}

__attribute__((target("avx2,fma"))) float rounds_avx2(std::int64_t rounds) {
  const __m256 a = _mm256_set1_ps(0.5f), b = _mm256_set1_ps(0.5f);
  __m256 acc[kChains];
  for (int chain = 0; chain < kChains; ++chain)
    acc[chain] = _mm256_set1_ps(float(chain));
  for (std::int64_t round = 0; round < rounds; ++round) {
#pragma GCC unroll 16
    for (int chain = 0; chain < kChains; ++chain)
      acc[chain] = _mm256_fmadd_ps(acc[chain], a, b);
  }
  alignas(32) float lanes[8];
  __m256 sum = acc[0];
  for (int chain = 1; chain < kChains; ++chain)
    sum = _mm256_add_ps(sum, acc[chain]);
  _mm256_store_ps(lanes, sum);
  float total = 0;
  for (float lane : lanes)
    total += lane;
  return total;
}

float rounds_scalar(std::int64_t rounds) {
  float acc[kChains];
  for (int chain = 0; chain < kChains; ++chain)
    acc[chain] = float(chain);
  for (std::int64_t round = 0; round < rounds; ++round)
    for (float& value : acc)
      value = value * 0.5f + 0.5f;
  float total = 0;
  for (float value : acc)
    total += value;
  return total;
}

bool has_avx512() {
  return __builtin_cpu_supports("avx512f");
}
bool has_avx2_fma() {
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
}

}  // namespace

std::string fma_isa() {
  if (has_avx512()) return "avx512f";
  if (has_avx2_fma()) return "avx2+fma";
  return "scalar";
}

std::int64_t fma_flops_per_round() {
  const int lanes = has_avx512() ? 16 : has_avx2_fma() ? 8 : 1;
  return std::int64_t(kChains) * lanes * 2;
}

float fma_rounds(std::int64_t rounds) {
  if (has_avx512()) return rounds_avx512(rounds);
  if (has_avx2_fma()) return rounds_avx2(rounds);
  return rounds_scalar(rounds);
}

}  // namespace scratchnet::bench
