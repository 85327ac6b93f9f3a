// Fuzzes the layer-spec parser (parse_layer_spec) and its printer (format_layer_spec).
//
// Properties checked on every input:
//   - a rejected spec gets a SpecError whose message is one line (the command line prints it as
//     its one error line); nothing else is thrown;
//   - an accepted spec round-trips: format_layer_spec's text parses to the same entries, and
//     formats to the same text again; every entry is in range (units 1..100000000, dropout in
//     [0, 1), a finite leaky_relu slope, a known kind, only an activation after a Linear or a
//     Conv2d);
//   - the model build_model makes of it (when small enough to build) has the layers and the
//     torch-numbered parameters the entries describe, and derives the same entries back; a
//     spec with image layers is built on 2×5×5 images, and one that cannot take them is refused
//     with a one-line SpecError that names its entry.

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "harness.hpp"
#include "scratchnet/model/layer_kinds.hpp"
#include "scratchnet/model/layer_spec.hpp"

namespace {

using namespace scratchnet;
using fuzz::require;

constexpr Index kInputs = 3;
const Shape kImage{2, 5, 5};
constexpr Index kMaxParametersToBuild = 1 << 16;

void check_in_range(const SpecEntry& entry) {
  require(entry.layers.size() == 1 || entry.layers.size() == 2, "an entry of 0 or 3+ layers");
  for (std::size_t i = 0; i < entry.layers.size(); ++i) {
    const LayerDescription& layer = entry.layers[i];
    const LayerKind* row = find_layer_kind(layer.kind);
    require(row != nullptr, "an unknown layer kind accepted: " + layer.kind);
    if (i == 1) require(row->activation, "a Linear followed by " + layer.kind + " in one entry");
    if (entry.layers.size() == 2 && i == 0)
      require(layer.kind == "Linear" || layer.kind == "Conv2d", "two layers, no Linear or Conv2d");
    if (layer.kind == "Linear") {
      const auto units = layer.get<std::int64_t>("out_features");
      require(units >= 1 && units <= 100'000'000, "units out of range");
    }
    if (layer.kind == "Dropout") {
      const double p = layer.get<double>("p");
      require(p >= 0 && p < 1, "dropout out of [0, 1)");
    }
    if (layer.kind == "LeakyReLU") {
      require(std::isfinite(layer.get<double>("negative_slope")), "a slope that is not finite");
    }
  }
}

// A spec with image layers: built on kImage when it can take it, and its own spec rebuilds it.
void check_image_model(const std::vector<SpecEntry>& entries) {
  std::vector<std::unique_ptr<Layer<float>>> layers;
  try {
    layers = make_layers<float>(entries, kImage);
  } catch (const SpecError& error) {
    require(fuzz::one_line(error.what()), std::string("multi-line message: ") + error.what());
    require(std::string_view(error.what()).starts_with("layer spec entry "),
            std::string("a refusal that names no entry: ") + error.what());
    return;
  }
  Index parameters = 0;
  for (const auto& layer : layers) {
    for (const ParameterShape& tensor : layer->parameter_shapes())
      parameters += tensor.size();
  }
  if (parameters > kMaxParametersToBuild) return;
  const Sequential<float> model = build_model<float>(entries, kImage);
  require(model.parameters().size() == parameters, "another parameter count");
  const Sequential<float> rebuilt = build_model<float>(model_spec(model), kImage);
  require(rebuilt.size() == model.size(), "the model's own spec builds other layers");
  for (std::size_t i = 0; i < model.size(); ++i) {
    require(rebuilt.layer(i).describe() == model.layer(i).describe(),
            "the model's own spec builds another layer " + std::to_string(i));
  }
}

// The layers and parameters the entries describe, against what build_model made.
void check_model(const std::vector<SpecEntry>& entries) {
  if (!model_input_shape(entries, kImage).is_flat()) return check_image_model(entries);
  Index parameters = 0, features = kInputs;
  for (const SpecEntry& entry : entries) {
    for (const LayerDescription& layer : entry.layers) {
      if (layer.kind == "BatchNorm") parameters += 2 * features;
      if (layer.kind != "Linear") continue;
      const Index units = layer.get<std::int64_t>("out_features");
      parameters += (features + (layer.get<bool>("bias") ? 1 : 0)) * units;
      features = units;
      if (parameters > kMaxParametersToBuild) return;
    }
  }
  Sequential<float> model = build_model<float>(entries, kInputs);
  std::size_t module = 0, parameter = 0;
  features = kInputs;
  const std::vector<NamedParameter> named = model.named_parameters();
  for (const SpecEntry& entry : entries) {
    for (const LayerDescription& layer : entry.layers) {
      require(module < model.size() &&
                  (model.layer(module).name() == layer.kind || layer.kind == "BatchNorm"),
              "layer " + std::to_string(module) + " is not a " + layer.kind);
      if (layer.kind == "BatchNorm") {
        require(model.layer(module).name() == "BatchNorm1d", "batchnorm on features is not 1d");
        parameter += 2;  // weight and bias
        ++module;
        continue;
      }
      if (layer.kind != "Linear") {
        ++module;
        continue;
      }
      const Index units = layer.get<std::int64_t>("out_features");
      const std::string prefix = std::to_string(module) + ".";
      require(parameter + 1 <= named.size(), "fewer parameters than dense entries");
      require(named[parameter].name == prefix + "weight" &&
                  named[parameter].shape == std::vector<Index>{units, features},
              "weight " + named[parameter].name + " is not " + prefix + "weight [units, inputs]");
      ++parameter;
      if (layer.get<bool>("bias")) {
        require(parameter + 1 <= named.size() && named[parameter].name == prefix + "bias" &&
                    named[parameter].shape == std::vector<Index>{units},
                "no " + prefix + "bias [units]");
        ++parameter;
      }
      ++module;
      features = units;
    }
  }
  require(parameter == named.size(), "more parameters than dense entries");
  require(model.size() == module, "other layers than the entries describe");
  require(model.inputs() == kInputs && model.outputs() == features, "other inputs or outputs");
  require(model.parameters().size() == parameters, "another parameter count");
  // The spec the model derives from its layers ("128,relu" becomes "128:relu") rebuilds it.
  const Sequential<float> rebuilt = build_model<float>(model_spec(model), kInputs);
  require(rebuilt.size() == model.size(), "the model's own spec builds other layers");
  for (std::size_t i = 0; i < model.size(); ++i) {
    require(rebuilt.layer(i).describe() == model.layer(i).describe(),
            "the model's own spec builds another layer " + std::to_string(i));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view spec(reinterpret_cast<const char*>(data), size);
  std::vector<SpecEntry> entries;
  try {
    entries = parse_layer_spec(spec);
  } catch (const SpecError& error) {
    require(fuzz::one_line(error.what()), std::string("multi-line message: ") + error.what());
    return 0;
  }
  require(!entries.empty(), "an accepted spec without entries");
  for (const SpecEntry& entry : entries)
    check_in_range(entry);
  const std::string text = format_layer_spec(entries);
  std::vector<SpecEntry> again;
  try {
    again = parse_layer_spec(text);
  } catch (const SpecError& error) {
    fuzz::property_failed("format_layer_spec wrote '" + text +
                          "', which does not parse: " + error.what());
  }
  require(again == entries, "'" + text + "' parses to other entries than it was made from");
  require(format_layer_spec(again) == text, "format_layer_spec is not stable");
  check_model(entries);
  return 0;
}
