// exp and sigmoid four doubles at a time on AVX2 (kernels/exp_lanes_avx2.hpp); this file alone
// is compiled with -mavx2, and with -ffp-contract=off so that no multiply and add fuse.
#include "intrinsics.hpp"

#include <cstddef>

#include "exp_lanes_avx2.hpp"

namespace scratchnet::kernels::exp_detail {

void exp_avx2(const double* x, double* y, std::ptrdiff_t n) {
  exp_array<Avx2>(x, y, n);
}

void sigmoid_avx2(const double* x, double* y, std::ptrdiff_t n) {
  sigmoid_array<Avx2>(x, y, n);
}

}  // namespace scratchnet::kernels::exp_detail
