#pragma once
// A network written as one string, the way the command line takes it:
//   "256:relu,128:relu,dropout:0.2,10"
// Comma-separated entries, each either
//   UNITS[:ACTIVATION]   a Dense layer (with bias) of UNITS outputs, then its activation
//   dropout:P            a Dropout layer with drop probability P in [0, 1)
// ACTIVATION is sigmoid, tanh, relu, leaky_relu (slope 0.01, or leaky_relu=SLOPE), gelu or
// softmax. A Dense entry without activation gives logits. The input size comes from the data.
// Every entry becomes torch.nn.Sequential entries in order (Linear, then its activation), so
// parameter names follow torch's numbering: the example's tensors are 0.weight, 0.bias,
// 2.weight, 2.bias, 5.weight and 5.bias.

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "scratchnet/sequential.hpp"

namespace scratchnet {

/// A layer spec that cannot be parsed; what() quotes the entry and says what is wrong.
class SpecError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// One parsed entry of a layer spec.
struct SpecEntry {
  enum class Kind { dense, dropout };
  Kind kind = Kind::dense;
  Index units = 0;         // dense: outputs
  std::string activation;  // dense: "" (logits) or one of the names above
  double parameter = 0;    // dropout: P; leaky_relu: the slope
  bool operator==(const SpecEntry&) const = default;
};

/// The entries of `spec`; throws SpecError for an empty spec, an empty or malformed entry, an
/// unknown activation, a size out of 1..100000000 or a probability outside [0, 1).
std::vector<SpecEntry> parse_layer_spec(std::string_view spec);

/// The canonical text of `entries` (parse_layer_spec(format_layer_spec(e)) == e).
std::string format_layer_spec(const std::vector<SpecEntry>& entries);

/// A model taking `inputs` features, built from `entries`; its parameters start at zero (see
/// initialize()).
template <typename T>
Sequential<T> build_model(const std::vector<SpecEntry>& entries, Index inputs);

}  // namespace scratchnet
