#include "scratchnet/kernels/exp.hpp"

#include <bit>
#include <cstddef>
#include <cstdint>
#include <iterator>
#include <limits>
#include <string_view>

#include "exp_algorithm.hpp"
#include "scratchnet/kernels/cpu.hpp"

namespace scratchnet::kernels {
namespace exp_detail {

#include "exp_table.inc"

}  // namespace exp_detail

namespace {

using namespace exp_detail;

// e^x = scale · (1 + tmp) when scale's exponent may be outside the normal range (512 ≤ |x| <
// 1024): build the result in range, then scale it with one rounding.
double exp_large(double tmp, std::uint64_t bits, std::uint64_t k_bits) {
  if ((k_bits & 0x80000000) == 0) {  // k > 0: the exponent overflowed by at most 460
    const double scale = std::bit_cast<double>(bits - (std::uint64_t(1009) << 52));
    return 0x1p1009 * (scale + scale * tmp);  // inf when e^x overflows
  }
  // k < 0: the result may be subnormal. Round y in the normal range first with as many bits as
  // the subnormal result will keep (y + 1 has them), so that the final scaling rounds only once.
  const double scale = std::bit_cast<double>(bits + (std::uint64_t(1022) << 52));
  double y = scale + scale * tmp;
  if (y < 1.0) {
    const double low = scale - y + scale * tmp;  // what y lost
    const double high = 1.0 + y;
    const double rest = 1.0 - high + y + low;
    y = (high + rest) - 1.0;
  }
  return 0x1p-1022 * y;
}

// e^x for |x| ≥ 1024, infinities and NaN. Out of line, and not only because it is rare: inlined
// into the sigmoid's loop, which passes it −v, GCC rewrites −v + 1 as 1 − v, the same number but
// for a NaN, whose sign it flips; the vector paths call exp_reference() for such lanes, and every
// path must give the same bits.
[[gnu::noinline, gnu::cold]] double exp_far_out(double x, std::uint64_t abs_bits) {
  if (abs_bits >= std::bit_cast<std::uint64_t>(std::numeric_limits<double>::infinity()))
    return x < 0 ? 0.0 : x + 1.0;  // e^−inf = 0, e^inf = inf, NaN stays NaN
  return x < 0 ? 0.0 : std::numeric_limits<double>::infinity();
}

// The scalar loops: the portable path.
void exp_portable(const double* x, double* y, std::ptrdiff_t n) {
  for (std::ptrdiff_t i = 0; i < n; ++i)
    y[i] = exp_reference(x[i]);
}

void sigmoid_portable(const double* x, double* y, std::ptrdiff_t n) {
  for (std::ptrdiff_t i = 0; i < n; ++i)
    y[i] = 1.0 / (1.0 + exp_reference(-x[i]));
}

// One path's array kernels.
struct ArrayKernels {
  const char* name;
  void (*exp)(const double*, double*, std::ptrdiff_t);
  void (*sigmoid)(const double*, double*, std::ptrdiff_t);
};

// The paths this build has, from the widest down; the CPU picks the first it runs.
constexpr ArrayKernels kPaths[] = {
#if defined(__x86_64__)
    {"avx512", exp_avx512, sigmoid_avx512},
    {"avx2", exp_avx2, sigmoid_avx2},
#endif
#if defined(__aarch64__)
    {"neon", exp_neon, sigmoid_neon},
#endif
    {"portable", exp_portable, sigmoid_portable},
};

ArrayKernels& current_kernels() {
  static ArrayKernels kernels = [] {
    for (const ArrayKernels& path : kPaths) {
      if (cpu_has(path.name)) return path;
    }
    return kPaths[std::size(kPaths) - 1];
  }();
  return kernels;
}

}  // namespace

double exp_reference(double x) {
  const std::uint64_t abs_bits = std::bit_cast<std::uint64_t>(x) & ~(std::uint64_t(1) << 63);
  if (abs_bits >= std::bit_cast<std::uint64_t>(1024.0)) [[unlikely]]
    return exp_far_out(x, abs_bits);
  double k = kInvLn2N * x + kShift;  // k rounded to an integer, in the low bits
  const std::uint64_t k_bits = std::bit_cast<std::uint64_t>(k);
  k -= kShift;
  const double r = x + k * kNegLn2hiN + k * kNegLn2loN;
  const std::size_t j = k_bits % kTableSize;
  const std::uint64_t scale_bits_k = scale_bits[j] + (k_bits << (52 - kTableBits));
  const double r2 = r * r;
  const double r4 = r2 * r2;
  const double c23 = kC2 + r * kC3, c45 = kC4 + r * kC5, c67 = kC6 + r * kC7;
  const double poly = c23 + r2 * c45 + r4 * c67;  // (e^r − 1 − r) / r²
  const double tmp = tail[j] + r + r2 * poly;
  if (abs_bits >= kLargeAbsBits) [[unlikely]]
    return exp_large(tmp, scale_bits_k, k_bits);
  const double scale = std::bit_cast<double>(scale_bits_k);
  return scale + scale * tmp;  // 2^(k/N) (1 + tail) (1 + e^r − 1), to first order in tail
}

void exp(const double* x, double* y, Index n) {
  current_kernels().exp(x, y, n);
}

void sigmoid(const double* x, double* y, Index n) {
  current_kernels().sigmoid(x, y, n);
}

const char* exp_kernel() {
  return current_kernels().name;
}

bool use_exp_kernel(std::string_view name) {
  if (!cpu_has(name)) return false;
  for (const ArrayKernels& path : kPaths) {
    if (path.name == name) {
      current_kernels() = path;
      return true;
    }
  }
  return false;
}

}  // namespace scratchnet::kernels
