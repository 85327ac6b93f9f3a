#pragma once
// The seed's XOR loop on AVX-512, in its own file for its own compiler flags (xor_avx512.cpp),
// which must not include Eigen: Eigen refuses -mavx512f without -mfma.

#include <array>
#include <cstdint>

#include "scratchnet/seed_xor_weights.hpp"

namespace scratchnet {

/// train_seed_xor's loop in AVX-512 registers; the same bits as the portable loop. Call only on
/// a CPU with AVX-512F.
std::array<double, 4> train_seed_xor_avx512(SeedXorWeights& weights, std::int64_t iterations,
                                            double learning_rate);

}  // namespace scratchnet
