#pragma once
// One seeded random generator for everything random in scratchnet, passed explicitly.
// It is the Mersenne Twister MT19937 seeded exactly as numpy's legacy np.random.seed(n)
// seeds it, and uniform() is numpy's np.random.rand(): the seed notebook's initial
// weights come out the same, number for number.

#include <cstdint>
#include <random>

namespace scratchnet {

class Random {
 public:
  /// Seeds as np.random.seed(seed) does (init_genrand on the 32-bit seed).
  explicit Random(std::uint32_t seed) : engine_(seed) {}

  /// A double uniform in [0, 1) with 53 random bits, as np.random.rand() draws it:
  /// the top 27 bits of one 32-bit draw and the top 26 bits of the next.
  double uniform();

  /// The next raw 32-bit output of MT19937.
  std::uint32_t next_u32() { return static_cast<std::uint32_t>(engine_()); }

 private:
  // std::mt19937 seeded with a 32-bit value is bit-identical to numpy's init_genrand.
  std::mt19937 engine_;
};

}  // namespace scratchnet
