#pragma once
// What the scalar exp and its vector lanes (exp_lanes.hpp) share: the constants of the algorithm
// (kernels/exp.hpp) and its table, so that both compute each element with the very same
// operations.
//
//   k = round(x · N / ln 2), by adding and subtracting 1.5 · 2^52                N = 16 = 2^4
//   r = x − k · ln2/N, with ln2/N split in two: hi (36 significant bits, so k · hi is exact) + lo
//   e^x = 2^(k/N) · e^r,   e^r − 1 = r + r² (C2 + C3 r + … + C7 r⁵) + O(r⁸)      |r| ≤ ln2 / 2N
//   2^(k/N) = scale · (1 + tail), scale's bits = table bits + (k << 48)   (exponent += k / N)
//
// The C_i are Taylor's 1/i!: on |r| ≤ ln2/32 the first term left out, r⁸/8!, is below 0.006 ulp.
// Sixteen entries fit two AVX-512 registers per column, so the AVX-512 code looks them up with
// permutes, not with gathers (slow on many CPUs); AVX2 and NEON read them from memory.

#include <cstddef>
#include <cstdint>

namespace scratchnet::kernels {

/// The scalar reference of scratchnet/kernels/exp.hpp, declared again here for the vector files,
/// which cannot include that header's Eigen; the lanes they leave are done by this.
double exp_reference(double x);

namespace exp_detail {

inline constexpr int kTableBits = 4;
inline constexpr std::size_t kTableSize = 1 << kTableBits;            // N
inline constexpr double kInvLn2N = 0x1.71547652b82fep0 * kTableSize;  // N / ln 2
inline constexpr double kShift = 0x1.8p52;                            // adding it rounds to integer
inline constexpr double kNegLn2hiN = -0x1.62e42fefa0000p-5;           // −ln2/N, high part
inline constexpr double kNegLn2loN = -0x1.cf79abc9e3b3ap-44;          // −ln2/N, the rest
inline constexpr double kC2 = 1.0 / 2;
inline constexpr double kC3 = 1.0 / 6;
inline constexpr double kC4 = 1.0 / 24;
inline constexpr double kC5 = 1.0 / 120;
inline constexpr double kC6 = 1.0 / 720;
inline constexpr double kC7 = 1.0 / 5040;
/// |x| at and above this (bits 0x4080000000000000), infinities and NaNs included, take the
/// scalar path: there 2^⌊k/N⌋ may leave the normal range and needs scaling in two steps.
inline constexpr std::uint64_t kLargeAbsBits = 0x4080000000000000;  // 512.0

/// For j < N: tail_j, and the bits of scale_j less j << 48 (tools/make_exp_table.py).
extern const double tail[kTableSize];
extern const std::uint64_t scale_bits[kTableSize];

/// The array kernels of each vector instruction set (exp_avx512.cpp, exp_avx2.cpp, compiled for
/// theirs without Eigen, whose headers refuse -mavx512f without -mfma; exp_neon.cpp on AArch64):
/// only call one on a CPU that has its instructions.
void exp_avx512(const double* x, double* y, std::ptrdiff_t n);
void sigmoid_avx512(const double* x, double* y, std::ptrdiff_t n);
void exp_avx2(const double* x, double* y, std::ptrdiff_t n);
void sigmoid_avx2(const double* x, double* y, std::ptrdiff_t n);
void exp_neon(const double* x, double* y, std::ptrdiff_t n);
void sigmoid_neon(const double* x, double* y, std::ptrdiff_t n);

}  // namespace exp_detail
}  // namespace scratchnet::kernels
