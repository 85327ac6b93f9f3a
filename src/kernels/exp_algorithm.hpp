#pragma once
// What the scalar and the AVX-512 exp share: the constants of the algorithm (kernels/exp.hpp)
// and its table, so that both compute each element with the very same operations.
//
//   k = round(x · N / ln 2), by adding and subtracting 1.5 · 2^52          N = 128 = 2^7
//   r = x − k · ln2/N, with ln2/N split in two: hi (36 significant bits, so k · hi is exact) + lo
//   e^x = 2^(k/N) · e^r,  e^r − 1 ≈ r + r² (C2 + C3 r + C4 r² + C5 r³)     |r| ≤ ln2 / 2N
//   2^(k/N) = scale · (1 + tail), scale's bits = table bits + (k << 45)   (exponent += k / N)

#include <cstddef>
#include <cstdint>

namespace scratchnet::kernels {

/// The scalar reference of scratchnet/kernels/exp.hpp, declared again here for the AVX-512
/// file, which cannot include that header's Eigen; the lanes it leaves are done by this.
double exp_reference(double x);

namespace exp_detail {

inline constexpr int kTableBits = 7;
inline constexpr std::uint64_t kTableSize = 1 << kTableBits;          // N
inline constexpr double kInvLn2N = 0x1.71547652b82fep0 * kTableSize;  // N / ln 2
inline constexpr double kShift = 0x1.8p52;                    // adding it rounds to an integer
inline constexpr double kNegLn2hiN = -0x1.62e42fefa0000p-8;   // −ln2/N, high part
inline constexpr double kNegLn2loN = -0x1.cf79abc9e3b3ap-47;  // −ln2/N, the rest
// e^r − 1 − r ≈ r² (C2 + C3 r + C4 r² + C5 r³) on |r| ≤ ln2/256, absolute error 1.55 · 2^-66.
inline constexpr double kC2 = 0x1.ffffffffffdbdp-2;
inline constexpr double kC3 = 0x1.555555555543cp-3;
inline constexpr double kC4 = 0x1.55555cf172b91p-5;
inline constexpr double kC5 = 0x1.1111167a4d017p-7;
/// |x| at and above this (bits 0x4080000000000000), infinities and NaNs included, take the
/// scalar path: there 2^⌊k/N⌋ leaves the normal range and needs scaling in two steps.
inline constexpr std::uint64_t kLargeAbsBits = 0x4080000000000000;  // 512.0

/// For j < N: table[2j] holds the bits of tail_j, table[2j + 1] those of scale_j less j << 45.
extern const std::uint64_t table[2 * kTableSize];

/// The array kernels on AVX-512F (exp_avx512.cpp, compiled for it, without Eigen, whose headers
/// refuse -mavx512f without -mfma): only call them on a CPU that has it.
void exp_avx512(const double* x, double* y, std::ptrdiff_t n);
void sigmoid_avx512(const double* x, double* y, std::ptrdiff_t n);

}  // namespace exp_detail
}  // namespace scratchnet::kernels
