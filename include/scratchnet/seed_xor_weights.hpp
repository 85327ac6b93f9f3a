#pragma once
// The weights of the seed's XOR network at the seed's size, as train_seed_xor() (xor.hpp) keeps
// them. Apart from xor.hpp so that code built for other instruction sets can use it without
// Eigen.

#include <array>

namespace scratchnet {

/// The seed's network at the seed's size as plain arrays, in the seed's orientation.
struct SeedXorWeights {
  std::array<std::array<double, 4>, 2> weights1;  // [2, 4]: weights1[input][hidden unit]
  std::array<double, 4> weights2;                 // [4, 1]: weights2[hidden unit]
};

}  // namespace scratchnet
