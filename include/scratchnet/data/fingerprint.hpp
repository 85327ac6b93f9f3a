#pragma once
// What tells one data set from another without keeping it: a checkpoint records the fingerprint
// of the rows its run was trained on, so that --resume with other data is refused.

#include <cstdint>
#include <string>

#include "scratchnet/matrix.hpp"

namespace scratchnet::data {

struct RawRows;

/// The rows a run was trained on: how many, how many features, and a 64-bit hash of every
/// feature value and label in file order (not of the column names: a renamed header is the
/// same data).
struct DataFingerprint {
  Index rows = 0;
  Index features = 0;
  std::uint64_t hash = 0;
  bool operator==(const DataFingerprint&) const = default;
};

/// The fingerprint of `rows`: CSV features by the bits of their doubles and labels by their
/// text, IDX pixels and labels by their bytes. Linear in the data's size, copies nothing.
DataFingerprint fingerprint_of(const RawRows& rows);

/// "150 rows, 4 features", for messages.
std::string rows_and_features(const DataFingerprint& fingerprint);

}  // namespace scratchnet::data
