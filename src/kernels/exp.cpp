#include "scratchnet/kernels/exp.hpp"

#include <bit>
#include <cstdint>
#include <limits>

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

template <typename Each>
void for_each_element(const double* x, double* y, Index n, Each each) {
  for (Index i = 0; i < n; ++i)
    y[i] = each(x[i]);
}

}  // namespace

double exp_reference(double x) {
  const std::uint64_t abs_bits = std::bit_cast<std::uint64_t>(x) & ~(std::uint64_t(1) << 63);
  if (abs_bits >= std::bit_cast<std::uint64_t>(1024.0)) [[unlikely]] {
    if (abs_bits >= std::bit_cast<std::uint64_t>(std::numeric_limits<double>::infinity())) {
      return x < 0 ? 0.0 : x + 1.0;  // e^−inf = 0, e^inf = inf, NaN stays NaN
    }
    return x < 0 ? 0.0 : std::numeric_limits<double>::infinity();
  }
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
  if (cpu_has_avx512()) return exp_avx512(x, y, n);
  for_each_element(x, y, n, [](double v) { return exp_reference(v); });
}

void sigmoid(const double* x, double* y, Index n) {
  if (cpu_has_avx512()) return sigmoid_avx512(x, y, n);
  for_each_element(x, y, n, [](double v) { return 1.0 / (1.0 + exp_reference(-v)); });
}

const char* exp_kernel() {
  return cpu_has_avx512() ? "avx512" : "portable";
}

}  // namespace scratchnet::kernels
