#include "scratchnet/random.hpp"

namespace scratchnet {

double Random::uniform() {
  const std::uint32_t high27 = next_u32() >> 5;
  const std::uint32_t low26 = next_u32() >> 6;
  return (high27 * 67108864.0 + low26) / 9007199254740992.0;  // (a·2^26 + b) / 2^53
}

}  // namespace scratchnet
