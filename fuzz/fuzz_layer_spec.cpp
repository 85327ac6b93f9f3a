// Fuzzes the layer-spec parser (parse_layer_spec) and its printer (format_layer_spec).
//
// Properties checked on every input:
//   - a rejected spec gets a SpecError whose message is one line (the command line prints it as
//     its one error line); nothing else is thrown;
//   - an accepted spec round-trips: format_layer_spec's text parses to the same entries, and
//     formats to the same text again; every entry is in range (units 1..100000000, dropout in
//     [0, 1), a finite leaky_relu slope, a known activation);
//   - the model build_model makes of it (when small enough to build) has the layers and the
//     torch-numbered parameters the entries describe.

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "harness.hpp"
#include "scratchnet/layer_spec.hpp"

namespace {

using namespace scratchnet;
using fuzz::require;

constexpr Index kInputs = 3;
constexpr Index kMaxParametersToBuild = 1 << 16;

void check_in_range(const SpecEntry& entry) {
  if (entry.kind == SpecEntry::Kind::dropout) {
    require(entry.parameter >= 0 && entry.parameter < 1, "dropout out of [0, 1)");
    require(entry.units == 0 && entry.activation.empty(), "dropout with units or activation");
    return;
  }
  require(entry.units >= 1 && entry.units <= 100'000'000, "units out of range");
  const std::string& name = entry.activation;
  require(name.empty() || name == "sigmoid" || name == "tanh" || name == "relu" ||
              name == "leaky_relu" || name == "gelu" || name == "softmax",
          "unknown activation accepted: " + name);
  require(std::isfinite(entry.parameter), "a parameter that is not finite");
  require(name == "leaky_relu" || entry.parameter == 0, "a parameter on a layer without one");
}

// The layers and parameters the entries describe, against what build_model made.
void check_model(const std::vector<SpecEntry>& entries) {
  Index parameters = 0, features = kInputs;
  for (const SpecEntry& entry : entries) {
    if (entry.kind == SpecEntry::Kind::dense) {
      parameters += (features + 1) * entry.units;
      features = entry.units;
    }
    if (parameters > kMaxParametersToBuild) return;
  }
  Sequential<float> model = build_model<float>(entries, kInputs);
  std::size_t module = 0, parameter = 0;
  features = kInputs;
  const std::vector<NamedParameter> named = model.named_parameters();
  for (const SpecEntry& entry : entries) {
    if (entry.kind == SpecEntry::Kind::dropout) {
      ++module;
      continue;
    }
    const std::string prefix = std::to_string(module) + ".";
    require(parameter + 2 <= named.size(), "fewer parameters than dense entries");
    require(named[parameter].name == prefix + "weight" &&
                named[parameter].shape == std::vector<Index>{entry.units, features},
            "weight " + named[parameter].name + " is not " + prefix + "weight [units, inputs]");
    require(named[parameter + 1].name == prefix + "bias" &&
                named[parameter + 1].shape == std::vector<Index>{entry.units},
            "bias " + named[parameter + 1].name + " is not " + prefix + "bias [units]");
    parameter += 2;
    module += entry.activation.empty() ? 1 : 2;
    features = entry.units;
  }
  require(parameter == named.size(), "more parameters than dense entries");
  require(model.size() == module, "other layers than the entries describe");
  require(model.inputs() == kInputs && model.outputs() == features, "other inputs or outputs");
  require(model.parameters().size() == parameters, "another parameter count");
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
