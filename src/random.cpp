#include "scratchnet/random.hpp"

#include <bit>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace scratchnet {

double Random::uniform() {
  const std::uint32_t high27 = next_u32() >> 5;
  const std::uint32_t low26 = next_u32() >> 6;
  return (high27 * 67108864.0 + low26) / 9007199254740992.0;  // (a·2^26 + b) / 2^53
}

double Random::normal() {
  if (has_spare_normal_) {
    has_spare_normal_ = false;
    return std::exchange(spare_normal_, 0.0);
  }
  // A point uniform in the unit disc (not its centre) gives two independent normals.
  double x1, x2, radius_squared;
  do {
    x1 = 2.0 * uniform() - 1.0;
    x2 = 2.0 * uniform() - 1.0;
    radius_squared = x1 * x1 + x2 * x2;
  } while (radius_squared >= 1.0 || radius_squared == 0.0);
  const double scale = std::sqrt(-2.0 * std::log(radius_squared) / radius_squared);
  spare_normal_ = scale * x1;
  has_spare_normal_ = true;
  return scale * x2;
}

std::uint64_t Random::at_most(std::uint64_t bound) {
  if (bound == 0) return 0;
  std::uint64_t mask = bound;  // smeared to the smallest 2^k − 1 that covers bound
  for (int shift = 1; shift < 64; shift *= 2)
    mask |= mask >> shift;
  std::uint64_t value;
  if (bound <= 0xffffffffULL) {
    do
      value = next_u32() & mask;
    while (value > bound);
  } else {
    do
      value = ((std::uint64_t(next_u32()) << 32) | next_u32()) & mask;
    while (value > bound);
  }
  return value;
}

std::string Random::state() const {
  std::ostringstream text;
  text << engine_ << ' ' << has_spare_normal_ << ' ' << std::bit_cast<std::uint64_t>(spare_normal_);
  return text.str();
}

void Random::restore(const std::string& state) {
  std::istringstream text(state);
  std::mt19937 engine;
  bool has_spare = false;
  std::uint64_t spare_bits = 0;
  text >> engine >> has_spare >> spare_bits;
  if (text.fail() || !(text >> std::ws).eof()) {
    throw std::invalid_argument("not a random-generator state");
  }
  engine_ = engine;
  has_spare_normal_ = has_spare;
  spare_normal_ = std::bit_cast<double>(spare_bits);
}

}  // namespace scratchnet
