#include "scratchnet/sample_random.hpp"

namespace scratchnet {

std::uint64_t SampleRandom::row_key(std::uint64_t stream, Index row) const {
  // Each coordinate goes through the bijection before the next is added, so that (step 1, row 0)
  // and (step 0, row 1) are unrelated keys.
  std::uint64_t key = mix(seed_ + kGamma);
  key = mix(key ^ std::uint64_t(step_));
  key = mix(key ^ std::uint64_t(first_row_ + row));
  return mix(key ^ stream);
}

}  // namespace scratchnet
