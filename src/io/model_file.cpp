#include "scratchnet/io/model_file.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <nlohmann/json.hpp>
#include <numeric>
#include <optional>
#include <string_view>
#include <unordered_set>

#include "scratchnet/files/atomic_file.hpp"
#include "scratchnet/io/metadata_json.hpp"
#include "scratchnet/model/layer_spec.hpp"
#include "scratchnet/text/one_line.hpp"
#include "scratchnet/text/shortest.hpp"

namespace scratchnet::io {
namespace {

using Json = nlohmann::json;

constexpr const char* kModelFileVersion = "1";
constexpr const char* kNormalizationHolds =
    "expected a JSON object {\"mean\": […], \"scale\": […]}";
constexpr const char* kTargetNormalizationHolds =
    "expected a JSON object {\"mean\": number, \"scale\": number}";

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

// What is wrong with fill values `missing` for `inputs` features, or "".
std::string missing_values_problem(const data::MissingValues& missing, Index inputs) {
  const auto& fill = missing.fill;
  const bool fills = missing.strategy == data::MissingStrategy::mean ||
                     missing.strategy == data::MissingStrategy::median;
  if (!fills && !fill.empty()) {
    return "strategy " + in_quotes(data::name_of(missing.strategy)) + " has no fill values";
  }
  if (fills && Index(fill.size()) != inputs) {
    return std::to_string(fill.size()) + " fill values for " + std::to_string(inputs) + " inputs";
  }
  for (std::size_t i = 0; i < fill.size(); ++i) {
    if (!std::isfinite(fill[i]))
      return "feature " + std::to_string(i) + " has fill value " + shortest(fill[i]);
  }
  return "";
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
  const double pixel_scale = description.pixel_scale;
  if (!std::isnormal(pixel_scale) || !(pixel_scale > 0) || !std::isfinite(1 / pixel_scale)) {
    return "'pixel_scale': " + shortest(pixel_scale) + " is not a positive normal number";
  }
  if (const std::string problem = missing_values_problem(description.missing, inputs);
      !problem.empty()) {
    return "'missing_values': " + problem;
  }
  if (const auto& target = description.target) {
    if (loss == "ce" || loss == "bce")
      return "'target_normalization': a classifier (loss " + loss + ") has no target to scale";
    // Outputs are multiplied by the scale: it must be positive (else predictions flip) and
    // normal, as a feature's scale must.
    if (!std::isfinite(target->mean) || !std::isfinite(target->scale) || !(target->scale > 0) ||
        !std::isnormal(target->scale) || !std::isfinite(1 / target->scale)) {
      return "'target_normalization': mean " + shortest(target->mean) + " and scale " +
             shortest(target->scale) +
             "; the mean must be finite and the scale a positive normal number";
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

// The description's spec must build the very layers and tensors `model` has: the same kinds
// with the same attributes, parameters and buffers.
template <typename T>
void check_spec_fits(Sequential<T>& model, const std::string& spec) {
  const auto built = make_layers<T>(parse_layer_spec(spec), model.input_shape());
  bool same = built.size() == model.size();
  for (std::size_t i = 0; same && i < built.size(); ++i) {
    const Layer<T>& layer = model.layer(i);
    same = built[i]->describe() == layer.describe();
    const auto a = built[i]->parameter_shapes(), b = layer.parameter_shapes();
    same = same && a.size() == b.size();
    for (std::size_t k = 0; same && k < a.size(); ++k)
      same = a[k].name == b[k].name && a[k].shape == b[k].shape;
    const auto c = built[i]->buffer_shapes(), d = layer.buffer_shapes();
    same = same && c.size() == d.size();
    for (std::size_t k = 0; same && k < c.size(); ++k)
      same = c[k].name == d[k].name && c[k].shape == d[k].shape && c[k].type == d[k].type;
  }
  if (!same) {
    throw std::invalid_argument("model description: spec " + in_quotes(spec) + " on " +
                                std::to_string(model.inputs()) +
                                " inputs builds other layers than the model has");
  }
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

// The "target_normalization" text: an object of exactly a number "mean" and a number "scale"
// (their values are checked with the rest of the description).
data::TargetStandardization read_target_normalization(const std::string& text,
                                                      const std::string& path) {
  const char* key = "target_normalization";
  const Json parsed = parse_metadata_json(text, path, key, kTargetNormalizationHolds);
  if (!parsed.is_object() || parsed.size() != 2 || !parsed.contains("mean") ||
      !parsed.contains("scale") || !parsed["mean"].is_number() || !parsed["scale"].is_number()) {
    metadata_error(path, key, kTargetNormalizationHolds);
  }
  return {parsed["mean"].get<double>(), parsed["scale"].get<double>()};
}

std::vector<double> number_list(const Json& list, const std::string& path, const char* field,
                                const std::string& key = "normalization") {
  if (!list.is_array()) metadata_error(path, key, std::string(field) + " is not a list");
  std::vector<double> numbers;
  for (const Json& number : list) {
    if (!number.is_number()) {
      metadata_error(path, key, std::string(field) + " holds something other than numbers");
    }
    numbers.push_back(number.get<double>());
  }
  return numbers;
}

// The number `text` spells in full (as JSON writes numbers), or nullopt.
std::optional<double> parse_number_text(const std::string& text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// The "missing_values" object: {"strategy": NAME} and, for mean and median, "fill": […].
data::MissingValues read_missing_values(const std::string& text, const std::string& path) {
  constexpr const char* kHolds =
      "expected a JSON object {\"strategy\": \"drop\"|\"mean\"|\"median\", \"fill\": […]}";
  const Json parsed = parse_metadata_json(text, path, "missing_values", kHolds);
  if (!parsed.is_object() || !parsed.contains("strategy") || !parsed["strategy"].is_string() ||
      parsed.size() != (parsed.contains("fill") ? 2u : 1u)) {
    metadata_error(path, "missing_values", kHolds);
  }
  const std::string name = parsed["strategy"].get<std::string>();
  const auto strategy = data::missing_strategy_named(name);
  if (!strategy) {
    metadata_error(path, "missing_values",
                   "unknown strategy " + in_quotes(name) + " (valid: error, drop, mean, median)");
  }
  data::MissingValues missing{*strategy, {}};
  if (parsed.contains("fill"))
    missing.fill = number_list(parsed["fill"], path, "fill", "missing_values");
  return missing;
}

// The "input_shape" list: 1 to 4 whole numbers of at least 1 whose product is `inputs`. A flat
// shape ([784]) is returned empty, as a model that takes flat samples describes itself.
std::vector<Index> read_input_shape(const std::string& text, Index inputs,
                                    const std::string& path) {
  constexpr const char* kHolds = "expected a JSON list of 1 to 4 whole numbers of at least 1";
  const Json parsed = parse_metadata_json(text, path, "input_shape", kHolds);
  if (!parsed.is_array() || parsed.empty() || parsed.size() > 4) {
    metadata_error(path, "input_shape", kHolds);
  }
  std::vector<Index> dims;
  Index values = 1;
  for (const Json& dim : parsed) {
    // Each dimension is at most `inputs`, so the product never passes inputs · inputs.
    if (!dim.is_number_integer() || dim.get<std::int64_t>() < 1 ||
        dim.get<std::int64_t>() > inputs) {
      metadata_error(path, "input_shape", kHolds + std::string(" and at most 'inputs'"));
    }
    dims.push_back(dim.get<Index>());
    values *= dims.back();
    if (values > inputs) break;
  }
  if (values != inputs) {
    metadata_error(
        path, "input_shape",
        in_quotes(text) + " does not hold the model's " + std::to_string(inputs) + " inputs");
  }
  if (dims.size() == 1) dims.clear();
  return dims;
}

// The first Linear layer's weight, [out, in], gives the inputs of a file without metadata.
Index inputs_from_first_weight(const SafetensorsFile& file, const std::vector<SpecEntry>& entries,
                               const std::string& path) {
  const std::size_t module = [&] {
    std::size_t before = 0;  // each layer before it is one torch module
    for (const SpecEntry& entry : entries) {
      for (const LayerDescription& layer : entry.layers) {
        if (layer.kind == "Linear") return before;
        ++before;
      }
    }
    return before;
  }();
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

// The tensors a network of `layers` has, named as torch numbers the modules, with their offsets
// in the model's flat buffers. Worked out from layers that are not in a model yet, so that a
// file's tensors are checked against them before a network of the spec's size is allocated;
// load_model then checks that the model built of them agrees.
template <typename T>
ModelTensors expected_tensors(const std::vector<std::unique_ptr<Layer<T>>>& layers,
                              const std::string& path, const std::string& network) {
  const auto too_many = [&] {
    throw FormatError(path + ": " + network + " has more parameters than 64 bits can count");
  };
  // The elements of a tensor, and the running end of its flat buffer, without overflow.
  const auto place = [&](const std::vector<Index>& shape, Index& end) {
    Index size = 1;
    for (const Index dimension : shape)
      if (__builtin_mul_overflow(size, dimension, &size)) too_many();
    const Index offset = end;
    if (__builtin_add_overflow(end, size, &end)) too_many();
    return offset;
  };
  ModelTensors named;
  Index parameters = 0, buffers = 0, integers = 0;
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const std::string prefix = std::to_string(i) + ".";
    for (const ParameterShape& shape : layers[i]->parameter_shapes())
      named.parameters.push_back(
          {prefix + shape.name, shape.shape, place(shape.shape, parameters)});
    for (const BufferShape& shape : layers[i]->buffer_shapes()) {
      Index& end = shape.type == BufferType::int64 ? integers : buffers;
      named.buffers.push_back(
          {prefix + shape.name, shape.shape, shape.type, place(shape.shape, end)});
    }
  }
  return named;
}

// An I64 tensor of `values`, little-endian as the format stores every number.
TensorRecord int64_tensor(std::string name, std::vector<std::int64_t> shape,
                          std::span<const std::int64_t> values) {
  TensorRecord tensor{std::move(name), Dtype::I64, std::move(shape), {}};
  tensor.data.resize(values.size() * 8);
  for (std::size_t i = 0; i < values.size(); ++i) {
    const auto bits = std::uint64_t(values[i]);
    for (int byte = 0; byte < 8; ++byte)
      tensor.data[i * 8 + byte] = std::byte((bits >> (8 * byte)) & 0xff);
  }
  return tensor;
}

std::vector<std::int64_t> int64_values(const TensorRecord& tensor) {
  std::vector<std::int64_t> values(tensor.data.size() / 8);
  for (std::size_t i = 0; i < values.size(); ++i) {
    std::uint64_t bits = 0;
    for (int byte = 7; byte >= 0; --byte)
      bits = (bits << 8) | std::uint64_t(tensor.data[i * 8 + byte]);
    values[i] = std::int64_t(bits);
  }
  return values;
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

namespace {

// The tensor `name` of `data`; `what` ("parameter", "buffer") names it when a value is NaN or
// infinite, which a model file must never hold.
template <typename T>
TensorRecord finite_tensor(const char* what, const std::string& name,
                           const std::vector<std::int64_t>& shape, std::span<const T> data) {
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (!std::isfinite(data[i])) {
      throw std::invalid_argument(std::string(what) + " " + in_quotes(name) + " holds " +
                                  shortest(double(data[i])) + " at element " + std::to_string(i));
    }
  }
  return make_tensor<T>(name, shape, data);
}

}  // namespace

template <typename T>
std::vector<TensorRecord> parameter_tensors(Sequential<T>& model) {
  std::vector<TensorRecord> tensors;
  const VectorView<T> values = model.parameters();
  for (const NamedParameter& parameter : model.named_parameters()) {
    const std::vector<std::int64_t> shape = shape_of(parameter);
    const std::span<const T> data(values.data() + parameter.offset,
                                  std::size_t(element_count(shape)));
    tensors.push_back(finite_tensor<T>("parameter", parameter.name, shape, data));
  }
  return tensors;
}

template <typename T>
std::vector<TensorRecord> buffer_tensors(Sequential<T>& model) {
  std::vector<TensorRecord> tensors;
  const VectorView<T> values = model.buffers();
  const std::span<const std::int64_t> integers = model.integer_buffers();
  for (const NamedBuffer& buffer : model.named_buffers()) {
    const std::vector<std::int64_t> shape(buffer.shape.begin(), buffer.shape.end());
    const auto count = std::size_t(element_count(shape));
    if (buffer.type == BufferType::int64) {
      tensors.push_back(int64_tensor(buffer.name, shape, integers.subspan(buffer.offset, count)));
      continue;
    }
    const std::span<const T> data(values.data() + buffer.offset, count);
    tensors.push_back(finite_tensor<T>("buffer", buffer.name, shape, data));
  }
  return tensors;
}

template <typename T>
std::string model_spec_text(Sequential<T>& model, const ModelDescription& description) {
  if (description.spec.empty()) return format_layer_spec(model_spec(model));
  check_spec_fits(model, description.spec);
  return description.spec;
}

template <typename T>
std::map<std::string, std::string> model_metadata(Sequential<T>& model,
                                                  const ModelDescription& description) {
  if (description.inputs != 0 && description.inputs != model.inputs()) {
    throw std::invalid_argument("model description: " + std::to_string(description.inputs) +
                                " inputs but the model takes " + std::to_string(model.inputs()));
  }
  const Shape& shape = model.input_shape();
  if (!description.input_shape.empty() && description.input_shape != shape.dims()) {
    throw std::invalid_argument("model description: samples of shape " +
                                Shape(description.input_shape).text() + " but the model takes " +
                                shape.text());
  }
  const std::string spec = model_spec_text(model, description);
  const std::string problem = description_problem(description, model.inputs(), model.outputs());
  if (!problem.empty()) throw std::invalid_argument("model description: " + problem);

  std::map<std::string, std::string> metadata{
      {"format", "pt"},
      {"scratchnet", kModelFileVersion},
      {"inputs", std::to_string(model.inputs())},
      {"loss", description.loss},
      {"classes", json_list(description.classes, "classes")},
      {"feature_names", json_list(description.feature_names, "feature_names")},
      {"label_name", description.label_name},
      {"training", description.training_json.empty() ? "{}" : description.training_json},
  };
  if (!spec.empty()) metadata["spec"] = spec;
  if (!shape.is_flat()) metadata["input_shape"] = Json(shape.dims()).dump();
  if (description.pixel_scale != 1) metadata["pixel_scale"] = shortest(description.pixel_scale);
  if (description.missing.strategy != data::MissingStrategy::error) {
    Json missing{{"strategy", data::name_of(description.missing.strategy)}};
    if (!description.missing.fill.empty()) missing["fill"] = description.missing.fill;
    metadata["missing_values"] = missing.dump();
  }
  if (!description.mean.empty()) {
    metadata["normalization"] =
        Json{{"mean", description.mean}, {"scale", description.scale}}.dump();
  }
  if (description.target) {
    metadata["target_normalization"] =
        Json{{"mean", description.target->mean}, {"scale", description.target->scale}}.dump();
  }
  return metadata;
}

ModelDescription read_model_metadata(const std::map<std::string, std::string>& metadata,
                                     const std::string& path) {
  const auto version = lookup(metadata, "scratchnet");
  if (!version) metadata_error(path, "scratchnet", "missing");
  if (*version != kModelFileVersion) {
    metadata_error(path, "scratchnet",
                   "version " + in_quotes(*version) + " is not one this build reads (" +
                       kModelFileVersion + ")");
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
  if (const auto shape = lookup(metadata, "input_shape"))
    description.input_shape = read_input_shape(*shape, count, path);

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
  if (const auto pixel_scale = lookup(metadata, "pixel_scale")) {
    const auto value = parse_number_text(*pixel_scale);
    if (!value) {
      metadata_error(path, "pixel_scale",
                     "expected a positive number, got " + in_quotes(*pixel_scale));
    }
    description.pixel_scale = *value;
  }
  if (const auto missing = lookup(metadata, "missing_values"))
    description.missing = read_missing_values(*missing, path);
  if (const auto target = lookup(metadata, "target_normalization"))
    description.target = read_target_normalization(*target, path);
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
ModelState<T> state_values(const SafetensorsFile& file, const std::string& path,
                           const ModelTensors& named, const std::string& network) {
  const std::string prefix = path + ": tensor ";
  // One index of each side, so that the checks are linear in the number of tensors (one lookup
  // each way per tensor), not quadratic: 36,000 layers took 57 s that way.
  const TensorsByName tensors(file.tensors);
  std::unordered_set<std::string_view> known;
  known.reserve(named.parameters.size() + named.buffers.size());
  // Every check first: only tensors that match the network's shapes bound what is allocated.
  const auto check = [&](const std::string& name, const std::vector<Index>& expected) {
    const std::vector<std::int64_t> shape(expected.begin(), expected.end());
    const TensorRecord* tensor = tensors.find(name);
    if (!tensor) {
      throw FormatError(prefix + in_quotes(name) + " is missing (" + network +
                        " needs it with shape " + shape_text(shape) + ")");
    }
    if (tensor->shape != shape) {
      throw FormatError(prefix + in_quotes(name) + " has shape " + shape_text(tensor->shape) +
                        " but " + network + " needs " + shape_text(shape));
    }
    known.insert(name);
    return tensor;
  };
  const auto refuse_dtype = [&](const TensorRecord& tensor, const char* must) {
    throw FormatError(prefix + in_quotes(tensor.name) + " has dtype " +
                      std::string(dtype_name(tensor.dtype)) + "; " + must);
  };
  for (const NamedParameter& parameter : named.parameters) {
    const TensorRecord* tensor = check(parameter.name, parameter.shape);
    if (tensor->dtype != Dtype::F32 && tensor->dtype != Dtype::F64)
      refuse_dtype(*tensor, "a parameter must be F32 or F64");
  }
  for (const NamedBuffer& buffer : named.buffers) {
    const TensorRecord* tensor = check(buffer.name, buffer.shape);
    if (buffer.type == BufferType::int64 && tensor->dtype != Dtype::I64)
      refuse_dtype(*tensor, "this buffer is a count, and must be I64");
    if (buffer.type == BufferType::floating && tensor->dtype != Dtype::F32 &&
        tensor->dtype != Dtype::F64)
      refuse_dtype(*tensor, "this buffer must be F32 or F64");
  }
  const bool checkpoint = is_checkpoint(file);
  for (const TensorRecord& tensor : file.tensors) {
    if (known.count(tensor.name) == 0 && !(checkpoint && is_training_state(tensor.name))) {
      throw FormatError(
          prefix + in_quotes(tensor.name) + " (shape " + shape_text(tensor.shape) + ") is not a " +
          (named.buffers.empty() ? "parameter" : "parameter or buffer") + " of " + network);
    }
  }

  // Every tensor above is known to have its shape, so these sizes are the network's.
  const auto size = [](const std::vector<Index>& shape) {
    return std::size_t(std::accumulate(shape.begin(), shape.end(), Index{1}, std::multiplies<>()));
  };
  ModelState<T> state;
  for (const NamedParameter& parameter : named.parameters)
    state.parameters.resize(
        std::max(state.parameters.size(), std::size_t(parameter.offset) + size(parameter.shape)));
  for (const NamedBuffer& buffer : named.buffers) {
    const std::size_t end = std::size_t(buffer.offset) + size(buffer.shape);
    if (buffer.type == BufferType::int64) {
      state.integer_buffers.resize(std::max(state.integer_buffers.size(), end));
    } else {
      state.buffers.resize(std::max(state.buffers.size(), end));
    }
  }
  const auto finite_values = [&](const std::string& name) {
    std::vector<T> values = tensor_values<T>(*tensors.find(name));
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (!std::isfinite(values[i])) {
        throw FormatError(prefix + in_quotes(name) + " holds " + shortest(double(values[i])) +
                          " at element " + std::to_string(i));
      }
    }
    return values;
  };
  for (const NamedParameter& parameter : named.parameters) {
    const std::vector<T> values = finite_values(parameter.name);
    std::copy(values.begin(), values.end(), state.parameters.begin() + parameter.offset);
  }
  for (const NamedBuffer& buffer : named.buffers) {
    if (buffer.type == BufferType::int64) {
      const std::vector<std::int64_t> values = int64_values(*tensors.find(buffer.name));
      std::copy(values.begin(), values.end(), state.integer_buffers.begin() + buffer.offset);
    } else {
      const std::vector<T> values = finite_values(buffer.name);
      std::copy(values.begin(), values.end(), state.buffers.begin() + buffer.offset);
    }
  }
  return state;
}

template <typename T>
void restore_state(Sequential<T>& model, const ModelState<T>& state) {
  if (Index(state.parameters.size()) != model.parameters().size() ||
      Index(state.buffers.size()) != model.buffers().size() ||
      state.integer_buffers.size() != model.integer_buffers().size()) {
    throw std::logic_error("restore_state: the state is laid out for another model");
  }
  std::copy(state.parameters.begin(), state.parameters.end(), model.parameters().data());
  std::copy(state.buffers.begin(), state.buffers.end(), model.buffers().data());
  std::copy(state.integer_buffers.begin(), state.integer_buffers.end(),
            model.integer_buffers().begin());
}

template <typename T>
void save_model(const std::string& path, Sequential<T>& model,
                const ModelDescription& description) {
  std::vector<TensorRecord> tensors;
  std::map<std::string, std::string> metadata;
  try {
    metadata = model_metadata(model, description);
    tensors = parameter_tensors(model);
    for (TensorRecord& buffer : buffer_tensors(model))
      tensors.push_back(std::move(buffer));
  } catch (const std::invalid_argument& error) {
    throw std::invalid_argument(path + ": cannot save: " + error.what());
  }
  files::write_file_atomically(path, encode_safetensors(tensors, metadata));
}

template <typename T>
LoadedModel<T> load_model(const std::string& path, const std::string& spec_override,
                          const std::vector<Index>& input_shape_override) {
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

  if (!has_metadata && !input_shape_override.empty()) {
    description.input_shape = model_input_shape(entries, Shape(input_shape_override)).dims();
    if (description.input_shape.size() == 1) description.input_shape.clear();  // flat
    description.inputs = Shape(input_shape_override).elements();
  } else if (!has_metadata && !model_input_shape(entries, Shape{1, 1, 1}).is_flat()) {
    throw FormatError(path + ": the network " + in_quotes(description.spec) +
                      " takes images, and the file (it has no scratchnet metadata) does not say "
                      "their shape; give it with --input-shape C,H,W");
  }
  const Index inputs = has_metadata || !input_shape_override.empty()
                           ? description.inputs
                           : inputs_from_first_weight(file, entries, path);
  const Shape input_shape =
      description.input_shape.empty() ? Shape(inputs) : Shape(description.input_shape);
  const std::string network =
      "the network " + description.spec + " (" + std::to_string(inputs) + " inputs)";
  std::vector<std::unique_ptr<Layer<T>>> layers;
  try {
    layers = make_layers<T>(entries, input_shape);
  } catch (const std::invalid_argument& error) {
    throw FormatError(path + ": " + network + " cannot be built: " + error.what());
  }
  const ModelTensors expected = expected_tensors(layers, path, network);
  const ModelState<T> state = state_values<T>(file, path, expected, network);

  Sequential<T> model(input_shape);
  for (auto& layer : layers)
    model.add(std::move(layer));
  const std::vector<NamedParameter> built = model.named_parameters();
  const bool agree =
      std::equal(built.begin(), built.end(), expected.parameters.begin(), expected.parameters.end(),
                 [](const NamedParameter& a, const NamedParameter& b) {
                   return a.name == b.name && a.shape == b.shape && a.offset == b.offset;
                 });
  if (!agree) throw std::logic_error("load_model: the model lays out other tensors");
  restore_state(model, state);
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
template std::vector<TensorRecord> buffer_tensors<float>(Sequential<float>&);
template std::vector<TensorRecord> buffer_tensors<double>(Sequential<double>&);
template ModelState<float> state_values<float>(const SafetensorsFile&, const std::string&,
                                               const ModelTensors&, const std::string&);
template ModelState<double> state_values<double>(const SafetensorsFile&, const std::string&,
                                                 const ModelTensors&, const std::string&);
template void restore_state<float>(Sequential<float>&, const ModelState<float>&);
template void restore_state<double>(Sequential<double>&, const ModelState<double>&);
template void save_model<float>(const std::string&, Sequential<float>&, const ModelDescription&);
template void save_model<double>(const std::string&, Sequential<double>&, const ModelDescription&);
template LoadedModel<float> load_model<float>(const std::string&, const std::string&,
                                              const std::vector<Index>&);
template LoadedModel<double> load_model<double>(const std::string&, const std::string&,
                                                const std::vector<Index>&);

}  // namespace scratchnet::io
