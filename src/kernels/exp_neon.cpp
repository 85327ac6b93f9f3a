// exp and sigmoid two doubles at a time on NEON (kernels/exp_lanes_neon.hpp); compiled on
// AArch64 only, with -ffp-contract=off so that no multiply and add fuse.
#include <cstddef>

#include "exp_lanes_neon.hpp"

namespace scratchnet::kernels::exp_detail {

void exp_neon(const double* x, double* y, std::ptrdiff_t n) {
  exp_array<Neon>(x, y, n);
}

void sigmoid_neon(const double* x, double* y, std::ptrdiff_t n) {
  sigmoid_array<Neon>(x, y, n);
}

}  // namespace scratchnet::kernels::exp_detail
