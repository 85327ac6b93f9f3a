#pragma once
// The logistic sigmoid of SmallNetwork's loop on the AVX2 and AVX-512 builds: the lanes of
// kernels/exp_lanes.hpp inlined into the loop, with their table built once per train() call,
// where the layer (Sigmoid<double>) would call kernels::sigmoid, which dispatches again on every
// call. Every path of kernels::sigmoid gives exactly these lanes' bits (exp_lanes.hpp), so the
// loop's bits stay the layer's. Include after the Isa's own header (exp_lanes_avx2.hpp, …) in a
// file compiled for that instruction set without fused multiply-adds.
#include "../kernels/exp_lanes.hpp"
#include "small_network_loop.hpp"

namespace scratchnet::small_network {

/// y = 1 / (1 + e^(−x)) on n values, Isa::kLanes at a time. Returns true: it did the work (the
/// baseline build's stand-in returns false, and the loop calls the layer instead).
template <typename Isa>
struct LaneSigmoid {
  typename Isa::Table table;
  [[gnu::always_inline]] bool operator()(const double* x, double* y, Size n) const {
    // Inlined too: GCC called the lambda once per vector otherwise.
    kernels::exp_detail::for_each_vector<Isa>(
        x, y, n, [&](typename Isa::Doubles v) __attribute__((always_inline)) {
          return kernels::exp_detail::sigmoid_all_lanes<Isa>(v, table);
        });
    return true;
  }
};

}  // namespace scratchnet::small_network
