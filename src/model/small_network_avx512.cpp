// SmallNetwork's loop (small_network_loop.inc) built for AVX-512F. Compiled
// with -mavx512f -mfma -ffp-contract=off (src/CMakeLists.txt): wider vectors, no fused
// multiply-adds, so the same bits as the baseline build.
#include "../kernels/exp_lanes_avx512.hpp"
#include "small_network_loop.hpp"
#include "small_network_sigmoid.hpp"

namespace scratchnet::small_network {
namespace {

using InRegisterSigmoid = LaneSigmoid<kernels::exp_detail::Avx512>;

#define TRAIN_FUNCTION train
#include "small_network_loop.inc"
#undef TRAIN_FUNCTION

}  // namespace

void train_avx512(const Plan& plan, double* values, std::int64_t iterations) {
  train(plan, values, iterations);
}

}  // namespace scratchnet::small_network
