#pragma once
// Random numbers addressed by where they are used instead of drawn in sequence. The number for
// (step, row of the batch, stream, element) is a hash of those four and the seed, so that:
//   - a row's numbers depend only on the training step and the row's place in its batch, not on
//     how the batch is cut into shards or which process holds the row (data-parallel training
//     draws the same Dropout masks as one process);
//   - running a step again (the anomaly check's second pass) draws the same numbers;
//   - nothing needs saving to resume: the step count and the seed say everything.
// Dropout draws its masks here; the shuffles and the initial weights keep Random (random.hpp),
// whose numpy-compatible sequence they need.
//
// The hash is SplitMix64's finaliser (Steele, Lea and Flood, "Fast splittable pseudorandom
// number generators", 2014) chained over the coordinates; within a row, element i is the i-th
// output of SplitMix64 started at the row's key, which is the generator's own sequence.

#include <cstdint>

#include "scratchnet/matrix.hpp"

namespace scratchnet {

class SampleStream;

class SampleRandom {
 public:
  explicit SampleRandom(std::uint64_t seed) : seed_(seed) {}

  /// Where the rows of the next forward pass sit: training step `step` (the optimizer's step
  /// count), and rows that start at row `first_row` of the step's batch (0 unless the batch is
  /// cut into shards).
  void set_position(std::int64_t step, Index first_row) {
    step_ = step;
    first_row_ = first_row;
  }

  /// The numbers of one user (a layer: its index in the model), which outlive no SampleRandom.
  SampleStream stream(std::uint64_t stream) const;

  /// A double uniform in [0, 1) with 53 random bits: the number of element `element` of row
  /// `row` (counted from the first row of the next forward pass) in stream `stream`.
  double uniform(std::uint64_t stream, Index row, Index element) const {
    return uniform_at(row_key(stream, row), element);
  }

  /// The key of a row, from which uniform_at() draws its elements: one hash per row, then one
  /// per element.
  std::uint64_t row_key(std::uint64_t stream, Index row) const;

  /// The element `element` of the row whose key is `key`.
  static double uniform_at(std::uint64_t key, Index element) {
    const std::uint64_t bits = mix(key + kGamma * (std::uint64_t(element) + 1));
    return double(bits >> 11) * 0x1.0p-53;
  }

 private:
  static constexpr std::uint64_t kGamma = 0x9e3779b97f4a7c15;  // SplitMix64's increment

  /// SplitMix64's finaliser: a bijection of 64-bit words whose every output bit depends on
  /// every input bit.
  static std::uint64_t mix(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    return z ^ (z >> 31);
  }

  std::uint64_t seed_;
  std::int64_t step_ = 0;
  Index first_row_ = 0;
};

/// One stream of a SampleRandom: what a layer holds while training.
class SampleStream {
 public:
  SampleStream(const SampleRandom& random, std::uint64_t stream)
      : random_(&random), stream_(stream) {}

  /// See SampleRandom::row_key and uniform_at.
  std::uint64_t row_key(Index row) const { return random_->row_key(stream_, row); }
  double uniform(Index row, Index element) const { return random_->uniform(stream_, row, element); }

 private:
  const SampleRandom* random_;
  std::uint64_t stream_;
};

inline SampleStream SampleRandom::stream(std::uint64_t stream) const {
  return {*this, stream};
}

}  // namespace scratchnet
