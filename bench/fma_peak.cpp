#include "fma_peak.hpp"

#include "scratchnet/kernels/cpu.hpp"

#if defined(__x86_64__)
#include <immintrin.h>
#elif defined(__aarch64__)
#include <arm_neon.h>
#endif

namespace scratchnet::bench {
namespace {

// acc ← acc·a + b converges to b / (1 − a) = 1, so no value overflows or turns subnormal however
// long it runs. Each function sums its chains at the end, so that every chain is needed.
constexpr float kA = 0.5f, kB = 0.5f;

#if defined(__x86_64__)
constexpr int kChainsAvx512 = 16;  // of 32 registers
constexpr int kChainsAvx2 = 12;    // of 16: a, b and the loop's spare need the rest

__attribute__((target("avx512f"))) float rounds_avx512(std::int64_t rounds) {
  const __m512 a = _mm512_set1_ps(kA), b = _mm512_set1_ps(kB);
  __m512 acc[kChainsAvx512];
  for (int chain = 0; chain < kChainsAvx512; ++chain)
    acc[chain] = _mm512_set1_ps(float(chain));
  for (std::int64_t round = 0; round < rounds; ++round) {
#pragma GCC unroll 16
    for (int chain = 0; chain < kChainsAvx512; ++chain)
      acc[chain] = _mm512_fmadd_ps(acc[chain], a, b);
  }
  __m512 sum = acc[0];
  for (int chain = 1; chain < kChainsAvx512; ++chain)
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
  const __m256 a = _mm256_set1_ps(kA), b = _mm256_set1_ps(kB);
  __m256 acc[kChainsAvx2];
  for (int chain = 0; chain < kChainsAvx2; ++chain)
    acc[chain] = _mm256_set1_ps(float(chain));
  for (std::int64_t round = 0; round < rounds; ++round) {
#pragma GCC unroll 16
    for (int chain = 0; chain < kChainsAvx2; ++chain)
      acc[chain] = _mm256_fmadd_ps(acc[chain], a, b);
  }
  __m256 sum = acc[0];
  for (int chain = 1; chain < kChainsAvx2; ++chain)
    sum = _mm256_add_ps(sum, acc[chain]);
  alignas(32) float lanes[8];
  _mm256_store_ps(lanes, sum);
  float total = 0;
  for (float lane : lanes)
    total += lane;
  return total;
}
#endif

#if defined(__aarch64__)
constexpr int kChainsNeon = 16;  // of 32 registers

float rounds_neon(std::int64_t rounds) {
  const float32x4_t a = vdupq_n_f32(kA), b = vdupq_n_f32(kB);
  float32x4_t acc[kChainsNeon];
  for (int chain = 0; chain < kChainsNeon; ++chain)
    acc[chain] = vdupq_n_f32(float(chain));
  for (std::int64_t round = 0; round < rounds; ++round) {
#pragma GCC unroll 16
    for (int chain = 0; chain < kChainsNeon; ++chain)
      acc[chain] = vfmaq_f32(b, acc[chain], a);  // b + acc·a
  }
  float32x4_t sum = acc[0];
  for (int chain = 1; chain < kChainsNeon; ++chain)
    sum = vaddq_f32(sum, acc[chain]);
  return vaddvq_f32(sum);
}
#endif

// The portable kernels' arithmetic: a multiply and an add per step, as plain C++ compiles them.
constexpr int kChainsScalar = 8;

float rounds_scalar(std::int64_t rounds) {
  float acc[kChainsScalar];
  for (int chain = 0; chain < kChainsScalar; ++chain)
    acc[chain] = float(chain);
  for (std::int64_t round = 0; round < rounds; ++round)
    for (float& value : acc)
      value = value * kA + kB;
  float total = 0;
  for (float value : acc)
    total += value;
  return total;
}

// The widest path the kernels run, asked once.
enum class Isa { avx512, avx2, neon, scalar };

Isa widest() {
  static const Isa isa = [] {
    if (kernels::cpu_has("avx512")) return Isa::avx512;
    if (kernels::cpu_has("avx2")) return Isa::avx2;
    if (kernels::cpu_has("neon")) return Isa::neon;
    return Isa::scalar;
  }();
  return isa;
}

}  // namespace

std::string fma_isa() {
  switch (widest()) {
    case Isa::avx512:
      return "avx512f";
    case Isa::avx2:
      return "avx2+fma";
    case Isa::neon:
      return "neon";
    case Isa::scalar:
      break;
  }
  return "scalar";
}

int fma_lanes() {
  switch (widest()) {
    case Isa::avx512:
      return 16;
    case Isa::avx2:
      return 8;
    case Isa::neon:
      return 4;
    case Isa::scalar:
      break;
  }
  return 1;
}

std::int64_t fma_flops_per_round() {
  int chains = kChainsScalar;
#if defined(__x86_64__)
  if (widest() == Isa::avx512) chains = kChainsAvx512;
  if (widest() == Isa::avx2) chains = kChainsAvx2;
#elif defined(__aarch64__)
  if (widest() == Isa::neon) chains = kChainsNeon;
#endif
  return std::int64_t(chains) * fma_lanes() * 2;
}

float fma_rounds(std::int64_t rounds) {
#if defined(__x86_64__)
  if (widest() == Isa::avx512) return rounds_avx512(rounds);
  if (widest() == Isa::avx2) return rounds_avx2(rounds);
#elif defined(__aarch64__)
  if (widest() == Isa::neon) return rounds_neon(rounds);
#endif
  return rounds_scalar(rounds);
}

std::int64_t dependent_adds(std::int64_t count) {
  std::int64_t value = 0;
  // 64 additions per pass, each on the result of the one before; the loop's own counter is a
  // separate chain that runs beside them.
  for (std::int64_t pass = 0; pass < count / 64; ++pass) {
#if defined(__x86_64__)
    asm volatile(".rept 64\n\taddq $1, %0\n\t.endr" : "+r"(value));
#elif defined(__aarch64__)
    asm volatile(".rept 64\n\tadd %0, %0, #1\n\t.endr" : "+r"(value));
#else
#pragma GCC unroll 64
    for (int i = 0; i < 64; ++i)
      asm volatile("" : "+r"(value));
#endif
  }
  return value;
}

}  // namespace scratchnet::bench
