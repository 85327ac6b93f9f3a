#pragma once
// The table of layer kinds: each row ties a layer spec's token ("relu", "dropout") to a torch
// kind ("ReLU", "Dropout", what Layer::describe() reports) and to a factory that builds the
// layer. Parsing and writing layer specs, rebuilding a model from a file, and anything else
// that turns a description back into a layer go through it, so a new kind of layer is one row:
//   register_layer_kind({.kind = "MaxPool1d", .token = "maxpool", .parse = …, .format = …,
//                        .make_float = …, .make_double = …});
// The built-in rows (Linear, Sigmoid, Tanh, ReLU, LeakyReLU, GELU, Softmax, Dropout, Conv2d,
// MaxPool2d, AvgPool2d, BatchNorm, Flatten, AdaptiveAvgPool2d) are there from the start; rows
// added at run time come after them.
//
// A spec gives a layer's attributes except those that follow from its input (a Linear's
// in_features, a BatchNorm's num_features): the factory is given the shape of its input.

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "scratchnet/layers/layer.hpp"
#include "scratchnet/layers/layer_description.hpp"

namespace scratchnet {

/// Builds a layer of one kind from its spec attributes, for samples of shape `input`.
template <typename T>
using LayerFactory =
    std::function<std::unique_ptr<Layer<T>>(const LayerDescription& spec, const Shape& input)>;

/// One row of the table.
struct LayerKind {
  /// The torch.nn class name, as the layer's describe() reports it: "ReLU".
  std::string kind;
  /// The word that starts its spec entry: "relu". Empty only for Linear, whose entries start
  /// with their number of units.
  std::string token;
  /// Whether it may also end a Linear or conv entry as its activation: "128:relu".
  bool activation = false;
  /// Whether its entry may end with an activation (Linear, Conv2d): "conv:6:5:relu" is two
  /// torch.nn.Sequential entries, the Conv2d and its ReLU.
  bool takes_activation = false;
  /// Other torch kinds the row builds, when the input's shape picks the class: "batchnorm"
  /// builds a BatchNorm1d or a BatchNorm2d, and its row's `kind` names the family.
  std::vector<std::string> also_kinds;
  /// Whether its layers need images [C, H, W] (conv, pools, flatten): a spec with one takes the
  /// data's image shape, a spec without takes each image as a flat row (model_input_shape).
  bool needs_images = false;
  /// The spec attributes given by the entry's text after the token ("", "=0.2", ":0.2"), as a
  /// description of kind `kind`. Throws std::invalid_argument saying what is wrong with it.
  std::function<LayerDescription(std::string_view arguments)> parse;
  /// The entry's text after the token for a description of this kind (its spec attributes or
  /// all of them, as describe() gives them): parse(format(d)) gives d's spec attributes.
  std::function<std::string(const LayerDescription&)> format;
  LayerFactory<float> make_float;
  LayerFactory<double> make_double;

  /// The factory for T.
  template <typename T>
  const LayerFactory<T>& factory() const {
    if constexpr (std::is_same_v<T, float>) {
      return make_float;
    } else {
      return make_double;
    }
  }
};

/// Adds a row to the table. Throws std::invalid_argument when its kind or token is taken, the
/// token is empty or holds anything but lowercase letters, digits and '_', or a function is
/// missing. Call it before the kind is used; registering is not meant to race with lookups.
void register_layer_kind(LayerKind kind);

/// The row of torch kind `kind` ("ReLU"; "BatchNorm2d" finds the batchnorm row), or nullptr.
const LayerKind* find_layer_kind(std::string_view kind);

/// The row whose spec entries start with `token` ("relu"), or nullptr.
const LayerKind* find_layer_token(std::string_view token);

/// Every row, built-in ones first, then in the order they were registered.
std::vector<const LayerKind*> layer_kinds();

}  // namespace scratchnet
