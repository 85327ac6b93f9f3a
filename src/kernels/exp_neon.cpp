// exp and sigmoid two doubles at a time on NEON (AArch64's Advanced SIMD, which every AArch64
// CPU has; kernels/exp_lanes.hpp), compiled with -ffp-contract=off so that no multiply and add
// fuse. Plain vector extensions suffice: GCC and clang compile them to NEON, and the table is
// read one lane at a time, two loads per column, which a tbl-based lookup of the 16 × 8-byte
// columns (two 64-byte tbl4 lookups and a select per column) would not beat at two lanes.
#include <cstddef>
#include <cstdint>

#include "exp_lanes.hpp"

namespace scratchnet::kernels::exp_detail {
namespace {

using Doubles2 = double __attribute__((vector_size(16)));
using Bits2 = std::uint64_t __attribute__((vector_size(16)));

struct Neon : VectorMask<Bits2>, ScalarLookup<Doubles2, Bits2> {
  using Doubles = Doubles2;
  using Bits = Bits2;
  static constexpr int kLanes = 2;
};

}  // namespace

void exp_neon(const double* x, double* y, std::ptrdiff_t n) {
  exp_array<Neon>(x, y, n);
}

void sigmoid_neon(const double* x, double* y, std::ptrdiff_t n) {
  sigmoid_array<Neon>(x, y, n);
}

}  // namespace scratchnet::kernels::exp_detail
