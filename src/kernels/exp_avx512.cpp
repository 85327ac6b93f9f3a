// exp and sigmoid eight doubles at a time on AVX-512F (kernels/exp_lanes_avx512.hpp); this file
// alone is compiled with -mavx512f, and with -ffp-contract=off so that no multiply and add fuse.
//
// The lanes are exp_lanes.hpp's generic code, which replaced hand-written intrinsics of the same
// operations: measured side by side on an AMD EPYC (Zen 5) over 4096 doubles, medians of 301
// runs in three rounds on a busy machine, exp 0.476/0.471/0.450 ns per element against
// 0.477/0.460/0.457, sigmoid 0.468/0.573/0.558 against 0.454/0.594/0.555: the same within the
// noise, so the algorithm is written once.
#include "intrinsics.hpp"

#include <cstddef>

#include "exp_lanes_avx512.hpp"

namespace scratchnet::kernels::exp_detail {

void exp_avx512(const double* x, double* y, std::ptrdiff_t n) {
  exp_array<Avx512>(x, y, n);
}

void sigmoid_avx512(const double* x, double* y, std::ptrdiff_t n) {
  sigmoid_array<Avx512>(x, y, n);
}

}  // namespace scratchnet::kernels::exp_detail
