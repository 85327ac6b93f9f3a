#include "scratchnet/io/model_file.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "scratchnet/io/atomic_file.hpp"
#include "scratchnet/io/metadata_json.hpp"
#include "scratchnet/io/shortest.hpp"
#include "scratchnet/layer_spec.hpp"
#include "scratchnet/one_line.hpp"

namespace scratchnet::io {
namespace {

using Json = nlohmann::json;

constexpr const char* kVersion = "1";
constexpr std::size_t kMaxQuotedChars = 200;
constexpr const char* kNormalizationHolds =
    "expected a JSON object {\"mean\": […], \"scale\": […]}";

// `text` in single quotes, on one line (control characters escaped), long text cut.
std::string in_quotes(std::string_view text) {
  std::string out = "'";  // then appended to: GCC 12 warns (-Wrestrict) on "'" + std::string&&
  out += on_one_line(text.substr(0, kMaxQuotedChars));
  return out + (text.size() > kMaxQuotedChars ? "…'" : "'");
}

std::vector<std::int64_t> shape_of(const NamedParameter& parameter) {
  return {parameter.shape.begin(), parameter.shape.end()};
}

// A JSON list of strings; std::invalid_argument when one is not UTF-8.
std::string json_list(const std::vector<std::string>& names, const char* key) {
  try {
    return Json(names).dump();
  } catch (const Json::exception&) {
    throw std::invalid_argument(std::string("model description: ") + key +
                                " holds text that is not valid UTF-8");
  }
}

// What is wrong with `description` for a model of `inputs` features and `outputs` outputs
// (outputs < 0: not known yet), naming the metadata key; "" when nothing is.
std::string description_problem(const ModelDescription& description, Index inputs, Index outputs) {
  const std::string& loss = description.loss;
  if (!loss.empty() && loss != "ce" && loss != "bce" && loss != "mse" && loss != "sse") {
    return "'loss': unknown loss " + in_quotes(loss) + " (valid: ce, bce, mse, sse)";
  }
  const auto& mean = description.mean;
  const auto& scale = description.scale;
  if (mean.size() != scale.size()) {
    return "'normalization': " + std::to_string(mean.size()) + " means but " +
           std::to_string(scale.size()) + " scales";
  }
  if (!mean.empty() && Index(mean.size()) != inputs) {
    return "'normalization': " + std::to_string(mean.size()) + " values for " +
           std::to_string(inputs) + " inputs";
  }
  for (std::size_t i = 0; i < mean.size(); ++i) {
    if (!std::isfinite(mean[i]) || !std::isfinite(scale[i])) {
      return "'normalization': feature " + std::to_string(i) + " has a non-finite mean or scale";
    }
    // Features are divided by the scale: a negative one flips a feature, and 0 or a subnormal
    // one (1e-320) makes 1/scale infinite or loses its precision.
    if (!(scale[i] > 0) || !std::isnormal(scale[i]) || !std::isfinite(1 / scale[i])) {
      return "'normalization': feature " + std::to_string(i) + " has scale " + shortest(scale[i]) +
             "; a scale must be a positive normal number";
    }
  }
  const auto& names = description.feature_names;
  if (!names.empty() && Index(names.size()) != inputs) {
    return "'feature_names': " + std::to_string(names.size()) + " names for " +
           std::to_string(inputs) + " inputs";
  }
  if (outputs >= 0 && loss == "ce" && !description.classes.empty() &&
      Index(description.classes.size()) != outputs) {
    return "'classes': " + std::to_string(description.classes.size()) +
           " names for a classifier of " + std::to_string(outputs) + " outputs";
  }
  if (outputs >= 0 && !loss.empty()) {
    if (const std::string problem = loss_fit_problem(loss, outputs, description.classes.size());
        !problem.empty()) {
      return "'loss': " + problem;
    }
  }
  if (!description.training_json.empty()) {
    if (const std::string problem = metadata_json_problem(description.training_json);
        !problem.empty()) {
      return "'training': " + problem;
    }
  }
  return "";
}

// The description's spec must build the very layers and tensors `model` has.
template <typename T>
void check_spec_fits(Sequential<T>& model, const std::string& spec) {
  Sequential<T> built = build_model<T>(parse_layer_spec(spec), model.inputs());
  bool same = built.size() == model.size();
  for (std::size_t i = 0; same && i < built.size(); ++i)
    same = built.layer(i).name() == model.layer(i).name();
  const auto a = built.named_parameters(), b = model.named_parameters();
  same = same && a.size() == b.size();
  for (std::size_t i = 0; same && i < a.size(); ++i)
    same = a[i].name == b[i].name && a[i].shape == b[i].shape;
  if (!same) {
    throw std::invalid_argument("model description: spec " + in_quotes(spec) + " on " +
                                std::to_string(model.inputs()) +
                                " inputs builds other layers than the model has");
  }
}

[[noreturn]] void metadata_error(const std::string& path, const std::string& key,
                                 const std::string& problem) {
  throw FormatError(path + ": metadata '" + key + "': " + problem);
}

std::optional<std::string> lookup(const std::map<std::string, std::string>& metadata,
                                  const std::string& key) {
  const auto found = metadata.find(key);
  if (found == metadata.end()) return std::nullopt;
  return found->second;
}

std::vector<std::string> string_list(const std::string& text, const std::string& path,
                                     const std::string& key) {
  const Json parsed = parse_metadata_json(text, path, key, "expected a JSON list of strings");
  std::vector<std::string> names;
  bool ok = parsed.is_array();
  for (std::size_t i = 0; ok && i < parsed.size(); ++i) {
    ok = parsed[i].is_string();
    if (ok) names.push_back(parsed[i].get<std::string>());
  }
  if (!ok) metadata_error(path, key, "expected a JSON list of strings");
  return names;
}

std::vector<double> number_list(const Json& list, const std::string& path, const char* field) {
  if (!list.is_array())
    metadata_error(path, "normalization", std::string(field) + " is not a list");
  std::vector<double> numbers;
  for (const Json& number : list) {
    if (!number.is_number()) {
      metadata_error(path, "normalization",
                     std::string(field) + " holds something other than numbers");
    }
    numbers.push_back(number.get<double>());
  }
  return numbers;
}

// The first Linear layer's weight, [out, in], gives the inputs of a file without metadata.
Index inputs_from_first_weight(const SafetensorsFile& file, const std::vector<SpecEntry>& entries,
                               const std::string& path) {
  std::size_t module = 0;  // each leading dropout entry is one torch module
  while (module < entries.size() && entries[module].kind == SpecEntry::Kind::dropout)
    ++module;
  const std::string name = std::to_string(module) + ".weight";
  const TensorRecord* weight = file.find(name);
  if (!weight) {
    throw FormatError(path + ": tensor " + in_quotes(name) +
                      " is missing (the first Linear weight, [out, in], gives the inputs)");
  }
  if (weight->shape.size() != 2 || weight->shape[1] < 1) {
    throw FormatError(path + ": tensor " + in_quotes(name) + " has shape " +
                      shape_text(weight->shape) + " but a Linear weight is [out, in]");
  }
  return Index(weight->shape[1]);
}

// The tensors build_model gives `entries` on `inputs` features, named as torch numbers the
// modules (a Dense entry is a Linear, plus one module for its activation if it has one; a
// dropout entry is one module). Worked out without building the network, so that a file's
// tensors are checked against them before a network of the spec's size is allocated; load_model
// then checks that build_model agrees.
std::vector<NamedParameter> expected_parameters(const std::vector<SpecEntry>& entries, Index inputs,
                                                const std::string& path,
                                                const std::string& network) {
  std::vector<NamedParameter> named;
  Index module = 0, features = inputs, offset = 0;
  for (const SpecEntry& entry : entries) {
    if (entry.kind == SpecEntry::Kind::dropout) {
      ++module;
      continue;
    }
    Index weights = 0;
    if (__builtin_mul_overflow(features, entry.units, &weights) ||
        __builtin_add_overflow(offset, weights, &offset) ||
        __builtin_add_overflow(offset, entry.units, &offset)) {
      throw FormatError(path + ": " + network + " has more parameters than 64 bits can count");
    }
    const std::string prefix = std::to_string(module) + ".";
    named.push_back({prefix + "weight", {entry.units, features}, offset - entry.units - weights});
    named.push_back({prefix + "bias", {entry.units}, offset - entry.units});
    module += entry.activation.empty() ? 1 : 2;
    features = entry.units;
  }
  return named;
}

}  // namespace

std::string loss_fit_problem(std::string_view loss, Index outputs, std::size_t classes) {
  const std::string name(loss);
  const auto plural = [](Index n) { return n == 1 ? " output" : " outputs"; };
  if (loss == "ce") {
    if (outputs < 2) {
      return "ce needs at least 2 outputs (one per class), but the network has " +
             std::to_string(outputs) + plural(outputs);
    }
    if (classes != 0 && Index(classes) != outputs) {
      return "ce needs one output per class, but the network has " + std::to_string(outputs) +
             plural(outputs) + " for " + std::to_string(classes) + " classes";
    }
    return "";
  }
  if (loss == "bce" || loss == "mse" || loss == "sse") {
    if (outputs != 1) {
      return name + " needs exactly 1 output, but the network has " + std::to_string(outputs) +
             plural(outputs);
    }
    if (loss == "bce" && classes != 0 && classes != 2) {
      return "bce tells 2 classes apart, but " + std::to_string(classes) + " are stored";
    }
    return "";
  }
  return "unknown loss " + in_quotes(loss) + " (valid: ce, bce, mse, sse)";
}

template <typename T>
std::vector<TensorRecord> parameter_tensors(Sequential<T>& model) {
  std::vector<TensorRecord> tensors;
  const VectorView<T> values = model.parameters();
  for (const NamedParameter& parameter : model.named_parameters()) {
    const std::vector<std::int64_t> shape = shape_of(parameter);
    const std::span<const T> data(values.data() + parameter.offset,
                                  std::size_t(element_count(shape)));
    for (std::size_t i = 0; i < data.size(); ++i) {
      if (!std::isfinite(data[i])) {
        throw std::invalid_argument("parameter " + in_quotes(parameter.name) + " holds " +
                                    shortest(double(data[i])) + " at element " + std::to_string(i));
      }
    }
    tensors.push_back(make_tensor<T>(parameter.name, shape, data));
  }
  return tensors;
}

template <typename T>
std::map<std::string, std::string> model_metadata(Sequential<T>& model,
                                                  const ModelDescription& description) {
  if (description.inputs != 0 && description.inputs != model.inputs()) {
    throw std::invalid_argument("model description: " + std::to_string(description.inputs) +
                                " inputs but the model takes " + std::to_string(model.inputs()));
  }
  if (!description.spec.empty()) check_spec_fits(model, description.spec);
  const std::string problem = description_problem(description, model.inputs(), model.outputs());
  if (!problem.empty()) throw std::invalid_argument("model description: " + problem);

  std::map<std::string, std::string> metadata{
      {"format", "pt"},
      {"scratchnet", kVersion},
      {"inputs", std::to_string(model.inputs())},
      {"loss", description.loss},
      {"classes", json_list(description.classes, "classes")},
      {"feature_names", json_list(description.feature_names, "feature_names")},
      {"label_name", description.label_name},
      {"training", description.training_json.empty() ? "{}" : description.training_json},
  };
  if (!description.spec.empty()) metadata["spec"] = description.spec;
  if (!description.mean.empty()) {
    metadata["normalization"] =
        Json{{"mean", description.mean}, {"scale", description.scale}}.dump();
  }
  return metadata;
}

ModelDescription read_model_metadata(const std::map<std::string, std::string>& metadata,
                                     const std::string& path) {
  const auto version = lookup(metadata, "scratchnet");
  if (!version) metadata_error(path, "scratchnet", "missing");
  if (*version != kVersion) {
    metadata_error(
        path, "scratchnet",
        "version " + in_quotes(*version) + " is not one this build reads (" + kVersion + ")");
  }
  ModelDescription description;
  description.spec = lookup(metadata, "spec").value_or("");

  const auto inputs = lookup(metadata, "inputs");
  if (!inputs) metadata_error(path, "inputs", "missing");
  Index count = 0;
  const auto [end, error] = std::from_chars(inputs->data(), inputs->data() + inputs->size(), count);
  if (error != std::errc() || end != inputs->data() + inputs->size() || count < 1) {
    metadata_error(path, "inputs", "expected a positive whole number, got " + in_quotes(*inputs));
  }
  description.inputs = count;

  description.loss = lookup(metadata, "loss").value_or("");
  description.classes = string_list(lookup(metadata, "classes").value_or("[]"), path, "classes");
  description.feature_names =
      string_list(lookup(metadata, "feature_names").value_or("[]"), path, "feature_names");
  description.label_name = lookup(metadata, "label_name").value_or("");
  description.training_json = lookup(metadata, "training").value_or("");
  // Parsed here only to be refused early, with the bound it breaks named; kept as text.
  if (!description.training_json.empty())
    parse_metadata_json(description.training_json, path, "training");

  if (const auto normalization = lookup(metadata, "normalization")) {
    const Json parsed =
        parse_metadata_json(*normalization, path, "normalization", kNormalizationHolds);
    if (!parsed.is_object() || parsed.size() != 2 || !parsed.contains("mean") ||
        !parsed.contains("scale")) {
      metadata_error(path, "normalization", kNormalizationHolds);
    }
    description.mean = number_list(parsed["mean"], path, "mean");
    description.scale = number_list(parsed["scale"], path, "scale");
  }
  const std::string problem = description_problem(description, count, /*outputs=*/-1);
  if (!problem.empty()) throw FormatError(path + ": metadata " + problem);
  return description;
}

bool is_checkpoint(const SafetensorsFile& file) {
  return file.metadata.count("checkpoint") > 0;
}

bool is_training_state(std::string_view tensor_name) {
  return tensor_name.starts_with("optimizer.") || tensor_name.starts_with("trainer.");
}

template <typename T>
std::vector<T> parameter_values(const SafetensorsFile& file, const std::string& path,
                                const std::vector<NamedParameter>& named,
                                const std::string& network) {
  const std::string prefix = path + ": tensor ";
  // One index of each side, so that the checks are linear in the number of tensors (one lookup
  // each way per tensor), not quadratic: 36,000 layers took 57 s that way.
  const TensorsByName tensors(file.tensors);
  std::unordered_map<std::string_view, const NamedParameter*> parameters;
  parameters.reserve(named.size());
  for (const NamedParameter& parameter : named)
    parameters.emplace(parameter.name, &parameter);
  // Every check first: only tensors that match the network's shapes bound what is allocated.
  for (const NamedParameter& parameter : named) {
    const std::vector<std::int64_t> shape = shape_of(parameter);
    const TensorRecord* tensor = tensors.find(parameter.name);
    if (!tensor) {
      throw FormatError(prefix + in_quotes(parameter.name) + " is missing (" + network +
                        " needs it with shape " + shape_text(shape) + ")");
    }
    if (tensor->shape != shape) {
      throw FormatError(prefix + in_quotes(parameter.name) + " has shape " +
                        shape_text(tensor->shape) + " but " + network + " needs " +
                        shape_text(shape));
    }
    if (tensor->dtype != Dtype::F32 && tensor->dtype != Dtype::F64) {
      throw FormatError(prefix + in_quotes(parameter.name) + " has dtype " +
                        std::string(dtype_name(tensor->dtype)) +
                        "; a parameter must be F32 or F64");
    }
  }
  const bool checkpoint = is_checkpoint(file);
  for (const TensorRecord& tensor : file.tensors) {
    const bool known = parameters.count(tensor.name) > 0;
    if (!known && !(checkpoint && is_training_state(tensor.name))) {
      throw FormatError(prefix + in_quotes(tensor.name) + " (shape " + shape_text(tensor.shape) +
                        ") is not a parameter of " + network);
    }
  }

  std::size_t total = 0;
  for (const NamedParameter& parameter : named)
    total += std::size_t(element_count(shape_of(parameter)));
  std::vector<T> values(total);
  for (const NamedParameter& parameter : named) {
    const std::vector<T> tensor_data = tensor_values<T>(*tensors.find(parameter.name));
    for (std::size_t i = 0; i < tensor_data.size(); ++i) {
      if (!std::isfinite(tensor_data[i])) {
        throw FormatError(prefix + in_quotes(parameter.name) + " holds " +
                          shortest(double(tensor_data[i])) + " at element " + std::to_string(i));
      }
    }
    std::copy(tensor_data.begin(), tensor_data.end(), values.begin() + parameter.offset);
  }
  return values;
}

template <typename T>
void save_model(const std::string& path, Sequential<T>& model,
                const ModelDescription& description) {
  std::vector<TensorRecord> tensors;
  std::map<std::string, std::string> metadata;
  try {
    metadata = model_metadata(model, description);
    tensors = parameter_tensors(model);
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument(path + ": cannot save: " + error.what());
  }
  write_file_atomically(path, encode_safetensors(tensors, metadata));
}

template <typename T>
LoadedModel<T> load_model(const std::string& path, const std::string& spec_override) {
  const SafetensorsFile file = read_safetensors(path);
  const bool has_metadata = file.metadata.count("scratchnet") > 0;
  ModelDescription description =
      has_metadata ? read_model_metadata(file.metadata, path) : ModelDescription{};

  std::vector<SpecEntry> entries;
  if (!description.spec.empty()) {
    try {
      entries = parse_layer_spec(description.spec);
    } catch (const SpecError& error) {
      metadata_error(path, "spec", error.what());
    }
  }
  if (!spec_override.empty()) {
    const std::vector<SpecEntry> given = parse_layer_spec(spec_override);
    if (!entries.empty() && given != entries) {
      throw FormatError(path + ": the file holds the network " + in_quotes(description.spec) +
                        ", not " + in_quotes(spec_override));
    }
    if (entries.empty()) description.spec = spec_override;
    entries = given;
  }
  if (entries.empty()) {
    throw FormatError(path + ": the file does not say which network it holds (it has no " +
                      "scratchnet metadata); --layers is needed to give its layer spec");
  }

  const Index inputs =
      has_metadata ? description.inputs : inputs_from_first_weight(file, entries, path);
  const std::string network =
      "the network " + description.spec + " (" + std::to_string(inputs) + " inputs)";
  const std::vector<NamedParameter> expected = expected_parameters(entries, inputs, path, network);
  const std::vector<T> values = parameter_values<T>(file, path, expected, network);

  Sequential<T> model = build_model<T>(entries, inputs);
  const std::vector<NamedParameter> built = model.named_parameters();
  const bool agree =
      std::equal(built.begin(), built.end(), expected.begin(), expected.end(),
                 [](const NamedParameter& a, const NamedParameter& b) {
                   return a.name == b.name && a.shape == b.shape && a.offset == b.offset;
                 });
  if (!agree) throw std::logic_error("load_model: build_model lays out other tensors");
  std::copy(values.begin(), values.end(), model.parameters().data());
  description.inputs = inputs;
  const std::string problem = description_problem(description, inputs, model.outputs());
  if (!problem.empty()) throw FormatError(path + ": metadata " + problem);
  return LoadedModel<T>{std::move(model), std::move(description), has_metadata};
}

template std::vector<TensorRecord> parameter_tensors<float>(Sequential<float>&);
template std::vector<TensorRecord> parameter_tensors<double>(Sequential<double>&);
template std::map<std::string, std::string> model_metadata<float>(Sequential<float>&,
                                                                  const ModelDescription&);
template std::map<std::string, std::string> model_metadata<double>(Sequential<double>&,
                                                                   const ModelDescription&);
template std::vector<float> parameter_values<float>(const SafetensorsFile&, const std::string&,
                                                    const std::vector<NamedParameter>&,
                                                    const std::string&);
template std::vector<double> parameter_values<double>(const SafetensorsFile&, const std::string&,
                                                      const std::vector<NamedParameter>&,
                                                      const std::string&);
template void save_model<float>(const std::string&, Sequential<float>&, const ModelDescription&);
template void save_model<double>(const std::string&, Sequential<double>&, const ModelDescription&);
template LoadedModel<float> load_model<float>(const std::string&, const std::string&);
template LoadedModel<double> load_model<double>(const std::string&, const std::string&);

}  // namespace scratchnet::io
