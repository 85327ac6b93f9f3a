#pragma once
// e^x over arrays of doubles, and the logistic function built on it, for the activations.
//
// One algorithm, the table method of glibc's exp (from Arm's optimized-routines) with a smaller
// table: with k = round(x · 16 / ln 2) and r = x − k · ln2 / 16 (|r| ≤ ln2 / 32),
//
//   e^x = 2^(k / 16) · e^r = 2^⌊k / 16⌋ · 2^((k mod 16) / 16) · (1 + r + r² · P(r)),
//
// the middle factor read from a 16-entry table (tools/make_exp_table.py), P Taylor's of degree 5.
// Its error is below 0.57 ulp everywhere (0.561 is the most seen over 16 million arguments; 0.5 for
// subnormal results), against glibc's 0.51 with a 128-entry table; 0.5% of results differ from
// glibc's std::exp, by one ulp.
//
// exp_reference() is the plain scalar definition. The array kernels run the same operations, in
// the same order and without fused multiply-adds, on the widest vectors the CPU has: eight lanes
// with AVX-512, four with AVX2, two with NEON (AArch64), else the scalar loop; arguments beyond
// ±512, infinities and NaN go to exp_reference() itself. So every element is bit for bit
// exp_reference() of its input, NaNs included, on every machine and every path.

#include <string_view>

#include "scratchnet/matrix.hpp"

namespace scratchnet::kernels {

/// e^x of one double: the reference the array kernels equal bit for bit. e^(+inf) = inf,
/// e^(−inf) = 0, NaN stays NaN; e^x overflows to inf above ≈ 709.78 and underflows to 0
/// below ≈ −745.13.
double exp_reference(double x);

/// y[i] = e^(x[i]) for i < n. `x` and `y` may be the same array.
void exp(const double* x, double* y, Index n);

/// y[i] = 1 / (1 + e^(−x[i])) for i < n: the logistic sigmoid, exactly as that formula rounds
/// with exp_reference(). `x` and `y` may be the same array.
void sigmoid(const double* x, double* y, Index n);

/// The instruction set the array kernels use: "avx512", "avx2", "neon" or "portable" (plain
/// C++). The widest the CPU supports (and SCRATCHNET_ISA allows) is chosen at start-up.
const char* exp_kernel();

/// Makes the array kernels run `name`'s path, for tests and benchmarks that compare them.
/// Returns false, changing nothing, when this build has no such path or the CPU lacks (or
/// SCRATCHNET_ISA disallows) its instructions. Not thread-safe: call it while no kernel runs.
bool use_exp_kernel(std::string_view name);

}  // namespace scratchnet::kernels
