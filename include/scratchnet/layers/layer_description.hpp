#pragma once
// What a layer is, as data: its kind, named as its torch.nn class ("Linear", "LeakyReLU"), and
// its attributes, named and ordered as that class's constructor arguments:
//   Linear(in_features=784, out_features=128, bias=True)   {"Linear", {in_features: 784,
//                                                           out_features: 128, bias: true}}
//   LeakyReLU(negative_slope=0.2)                          {"LeakyReLU", {negative_slope: 0.2}}
// Everything that has to know which layers a model holds (saving and loading, `info`, anomaly
// reports, the Predictor, an exporter) reads this rather than the layer's C++ type.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace scratchnet {

/// The value of one attribute: a whole number, a real number, text or a truth value.
using AttributeValue = std::variant<std::int64_t, double, std::string, bool>;

/// One constructor argument of a layer, by its torch name.
struct LayerAttribute {
  std::string name;
  AttributeValue value;
  bool operator==(const LayerAttribute&) const = default;
};

/// A layer's kind and attributes.
struct LayerDescription {
  std::string kind;                        // the torch.nn class name: "Linear", "ReLU", "Dropout"
  std::vector<LayerAttribute> attributes;  // in the order of that class's constructor arguments

  bool operator==(const LayerDescription&) const = default;

  /// The attribute named `name`, or nullptr.
  const AttributeValue* find(const std::string& name) const;

  /// The value of attribute `name` as `Value` (std::int64_t, double, std::string or bool). Throws
  /// std::invalid_argument naming the kind and the attribute when it is missing or of another type.
  template <typename Value>
  const Value& get(const std::string& name) const {
    const AttributeValue* value = find(name);
    if (value == nullptr || !std::holds_alternative<Value>(*value)) missing(name);
    return std::get<Value>(*value);
  }

  /// "Linear(in_features=784, out_features=128, bias=True)", as torch prints a module.
  std::string text() const;

 private:
  [[noreturn]] void missing(const std::string& name) const;
};

/// `value` as a real attribute. A float becomes the double nearest its shortest decimal (0.2f
/// gives 0.2, not 0.20000000298023224), so that a float model describes itself as it was written.
double real_attribute(float value);
double real_attribute(double value);

}  // namespace scratchnet
