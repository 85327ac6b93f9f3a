#pragma once
// A network written as one string, the way the command line takes it:
//   "256:relu,128:relu,dropout:0.2,10"
// Comma-separated entries, each either
//   UNITS[:nobias][:ACTIVATION]  a Dense layer of UNITS outputs (with a bias unless "nobias"),
//                                then its activation
//   ACTIVATION                   an activation on its own, after any layer
//   dropout:P                    a Dropout layer with drop probability P in [0, 1)
// ACTIVATION is sigmoid, tanh, relu, leaky_relu (slope 0.01, or leaky_relu=SLOPE), gelu or
// softmax. A Dense entry without activation gives logits. The input size comes from the data.
// Every entry becomes torch.nn.Sequential entries in order (Linear, then its activation), so
// parameter names follow torch's numbering: the example's tensors are 0.weight, 0.bias,
// 2.weight, 2.bias, 5.weight and 5.bias.
// The tokens and what they build come from the table of layer kinds (layer_kinds.hpp), so a
// kind registered there is written and read here too.

#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "scratchnet/layers/layer_description.hpp"
#include "scratchnet/model/sequential.hpp"

namespace scratchnet {

/// A layer spec that cannot be parsed; what() quotes the entry and says what is wrong.
class SpecError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// One entry of a layer spec: the torch.nn.Sequential entries it stands for, in order, each
/// with the attributes a spec gives (not those that follow from the layer's input, such as a
/// Linear's in_features). "128:relu" is {Linear(out_features=128, bias=True), ReLU()}.
struct SpecEntry {
  std::vector<LayerDescription> layers;
  bool operator==(const SpecEntry&) const = default;
};

/// The entries of `spec`; throws SpecError for an empty spec, an empty or malformed entry, an
/// unknown activation, a size out of 1..100000000 or a probability outside [0, 1).
std::vector<SpecEntry> parse_layer_spec(std::string_view spec);

/// The canonical text of `entries` (parse_layer_spec(format_layer_spec(e)) == e). Throws
/// std::invalid_argument for a layer kind the table does not have.
std::string format_layer_spec(const std::vector<SpecEntry>& entries);

/// The spec entries of `model`'s layers, from their descriptions: a Linear followed by an
/// activation is one entry ("128:relu"), as a parsed spec has it, every other layer an entry
/// of its own. build_model(model_spec(m), m.input_shape()) has m's layers, tensors and buffers.
/// Throws std::invalid_argument naming a layer whose kind the table does not have.
template <typename T>
std::vector<SpecEntry> model_spec(const Sequential<T>& model);

/// The shape a model of `entries` takes for data whose samples have shape `sample`: `sample`
/// when an entry needs images (conv, maxpool, avgpool, globalavgpool, flatten), else the flat
/// [elements], so that an MLP takes an image as one row of pixels, as it always has.
Shape model_input_shape(const std::vector<SpecEntry>& entries, const Shape& sample);

/// The layers of `entries` on samples of shape `input` (a number of features, or {C, H, W}), one
/// per torch.nn.Sequential entry, made but not yet in a model (so no parameter is allocated):
/// to see their tensors before building. Throws std::invalid_argument for a layer kind the
/// table does not have, or a layer that cannot take the shape the layer before it gives.
template <typename T>
std::vector<std::unique_ptr<Layer<T>>> make_layers(const std::vector<SpecEntry>& entries,
                                                   const Shape& input);

/// A model taking samples of shape `input`, built from `entries`; its parameters and buffers
/// start at zero (see initialize()).
template <typename T>
Sequential<T> build_model(const std::vector<SpecEntry>& entries, const Shape& input);

}  // namespace scratchnet
