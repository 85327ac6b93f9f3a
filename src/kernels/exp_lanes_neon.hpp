#pragma once
// e^x and the logistic sigmoid on one NEON register of two doubles (AArch64's Advanced SIMD,
// which every AArch64 CPU has): kernels/exp_lanes.hpp's algorithm, the building block of the
// NEON array kernels (exp_neon.cpp) and of loops that keep their values in registers. Only for
// code compiled without fused multiply-adds (-ffp-contract=off): every lane must round as the
// scalar reference does.
//
// Plain vector extensions suffice: GCC and clang compile them to NEON. The table is read one
// lane at a time, two loads per column; a tbl-based lookup of the 16 × 8-byte columns (two
// 64-byte tbl4 lookups and a select per column) would not beat that at two lanes. (Not timed:
// only an emulator was at hand.)
#include <cstdint>

#include "exp_lanes.hpp"

namespace scratchnet::kernels::exp_detail {

struct Neon : VectorMask<std::uint64_t __attribute__((vector_size(16)))>,
              ScalarLookup<double __attribute__((vector_size(16))),
                           std::uint64_t __attribute__((vector_size(16)))> {
  using Doubles = double __attribute__((vector_size(16)));
  using Bits = std::uint64_t __attribute__((vector_size(16)));
  static constexpr int kLanes = 2;
};

}  // namespace scratchnet::kernels::exp_detail
