#include "scratchnet/data/fingerprint.hpp"

#include <bit>
#include <cstring>

#include "scratchnet/data/labelled_data.hpp"

namespace scratchnet::data {
namespace {

// A 64-bit running hash: each word is mixed (SplitMix64's finaliser) before it is folded in, so
// that nearby values and swapped words land far apart. Not cryptographic: it tells a wrong file
// from the right one, it does not resist someone forging a collision.
class Hash {
 public:
  void add(std::uint64_t word) {
    word += 0x9E3779B97F4A7C15ULL;
    word = (word ^ (word >> 30)) * 0xBF58476D1CE4E5B9ULL;
    word = (word ^ (word >> 27)) * 0x94D049BB133111EBULL;
    word ^= word >> 31;
    state_ = std::rotl(state_ ^ word, 27) * 0x9E3779B97F4A7C15ULL + 0x632BE59BD9B4E019ULL;
  }
  // The bytes eight at a time, then their count, so that "ab","c" and "a","bc" differ.
  void add_bytes(const void* data, std::size_t size) {
    const auto* bytes = static_cast<const unsigned char*>(data);
    std::size_t i = 0;
    for (; i + 8 <= size; i += 8) {
      std::uint64_t word = 0;
      std::memcpy(&word, bytes + i, 8);
      add(word);
    }
    std::uint64_t tail = 0;
    std::memcpy(&tail, bytes + i, size - i);
    add(tail);
    add(size);
  }
  std::uint64_t value() const { return state_; }

 private:
  std::uint64_t state_ = 0x243F6A8885A308D3ULL;
};

}  // namespace

DataFingerprint fingerprint_of(const RawRows& rows) {
  DataFingerprint fingerprint{rows.rows(), rows.features(), 0};
  Hash hash;
  hash.add(std::uint64_t(fingerprint.rows));
  hash.add(std::uint64_t(fingerprint.features));
  if (rows.table) {
    const Matrix<double>& features = rows.table->features;
    for (Index row = 0; row < features.rows(); ++row) {
      for (Index column = 0; column < features.cols(); ++column)
        hash.add(std::bit_cast<std::uint64_t>(features(row, column)));
    }
    for (const std::string& label : rows.table->labels)
      hash.add_bytes(label.data(), label.size());
  }
  if (rows.images) {
    hash.add_bytes(rows.images->pixels.data(), rows.images->pixels.size());
    hash.add_bytes(rows.images->labels.data(), rows.images->labels.size());
  }
  fingerprint.hash = hash.value();
  return fingerprint;
}

std::string rows_and_features(const DataFingerprint& fingerprint) {
  return std::to_string(fingerprint.rows) + " rows, " + std::to_string(fingerprint.features) +
         " features";
}

}  // namespace scratchnet::data
