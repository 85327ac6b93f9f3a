#include "info_summary.hpp"

#include <algorithm>
#include <array>
#include <cstdio>
#include <set>

#include "scratchnet/io/metadata_json.hpp"
#include "scratchnet/text/one_line.hpp"
#include "scratchnet/text/shortest.hpp"
#include "scratchnet/training/default_learning_rates.hpp"
#include "scratchnet/training/settings.hpp"

namespace scratchnet::cli {
namespace {

using Json = nlohmann::json;

// Every text below that comes from the file goes through on_one_line: its control characters
// (an escape sequence, a carriage return) never reach the terminal.
std::string escaped(std::string_view text) {
  return on_one_line(text);
}

// 235146 as "235,146".
std::string grouped(std::int64_t value) {
  std::string digits = std::to_string(value), text;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0 && digits[i - 1] != '-') text += ',';
    text += digits[i];
  }
  return text;
}

// Names, all of them when few, else the first ones, "…" and the last.
std::string abbreviated(const std::vector<std::string>& names, std::size_t most = 8) {
  std::string text;
  const auto add = [&](const std::string& name) { text += (text.empty() ? "" : ", ") + name; };
  if (names.size() <= most) {
    for (const std::string& name : names)
      add(escaped(name));
    return text;
  }
  for (std::size_t i = 0; i + 2 < most; ++i)
    add(escaped(names[i]));
  add("…");
  add(escaped(names.back()));
  return text;
}

// A JSON value as a person reads it: numbers shortest, switches on/off, text escaped.
std::string value_text(const Json& value) {
  if (value.is_boolean()) return value.get<bool>() ? "on" : "off";
  if (value.is_number_float()) return shortest(value.get<double>());
  if (value.is_string()) return escaped(value.get<std::string>());
  return escaped(value.dump(-1, ' ', false, Json::error_handler_t::replace));
}

const Json* member(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto found = object.find(key);
  return found == object.end() ? nullptr : &*found;
}

// An attribute's value as torch prints it: 5, 0.1, True, 'none'.
std::string attribute_text(const AttributeValue& value) {
  if (const auto* whole = std::get_if<std::int64_t>(&value)) return std::to_string(*whole);
  if (const auto* real = std::get_if<double>(&value)) return shortest(*real);
  if (const auto* flag = std::get_if<bool>(&value)) return *flag ? "True" : "False";
  return "'" + std::get<std::string>(value) + "'";
}

// How `info` writes a kind of layer short: its leading arguments bare, then only the others
// that differ from torch's defaults ("Conv2d(1, 6, kernel_size=5, padding=2)", "MaxPool2d(2)").
struct ShortForm {
  const char* kind;
  std::vector<std::string> bare;
  std::vector<LayerAttribute> defaults;
};

const std::vector<ShortForm>& short_forms() {
  const LayerAttribute one_stride{"stride", std::int64_t{1}},
      no_padding{"padding", std::int64_t{0}}, no_ceil{"ceil_mode", false};
  const std::vector<LayerAttribute> batch_norm = {
      {"eps", 1e-5}, {"momentum", 0.1}, {"affine", true}, {"track_running_stats", true}};
  static const std::vector<ShortForm> forms = {
      {"Conv2d",
       {"in_channels", "out_channels"},
       {one_stride,
        no_padding,
        {"dilation", std::int64_t{1}},
        {"groups", std::int64_t{1}},
        {"bias", true}}},
      {"MaxPool2d",
       {"kernel_size"},
       {no_padding, {"dilation", std::int64_t{1}}, {"return_indices", false}, no_ceil}},
      {"AvgPool2d", {"kernel_size"}, {no_padding, no_ceil, {"count_include_pad", true}}},
      {"BatchNorm1d", {"num_features"}, batch_norm},
      {"BatchNorm2d", {"num_features"}, batch_norm},
      {"AdaptiveAvgPool2d", {"output_size"}, {}},
      {"Flatten", {}, {{"start_dim", std::int64_t{1}}, {"end_dim", std::int64_t{-1}}}}};
  return forms;
}

std::string short_text(const LayerDescription& layer) {
  const auto form =
      std::ranges::find_if(short_forms(), [&](const ShortForm& f) { return layer.kind == f.kind; });
  if (form == short_forms().end()) return layer.text();
  std::string text = layer.kind + "(";
  for (const LayerAttribute& attribute : layer.attributes) {
    const bool bare = std::ranges::find(form->bare, attribute.name) != form->bare.end();
    // A pool's stride is its kernel size unless it says otherwise.
    const bool pool_stride = attribute.name == "stride" && form->bare.size() == 1 &&
                             form->bare[0] == "kernel_size" &&
                             attribute.value == *layer.find("kernel_size");
    if (pool_stride || std::ranges::find(form->defaults, attribute) != form->defaults.end())
      continue;
    if (text.back() != '(') text += ", ";
    text += (bare ? "" : attribute.name + "=") + attribute_text(attribute.value);
  }
  return text + ")";
}

// What a layer is, short: "Linear(784, 256)" (torch prints in_features, out_features so), else
// the description torch prints ("ReLU()", "Dropout(p=0.2)").
std::string layer_text(const Layer<double>& layer) {
  if (layer.name() == "Linear") {
    std::string text = "Linear(";
    for (const ParameterShape& shape : layer.parameter_shapes()) {
      if (shape.name == "weight")
        text += std::to_string(shape.shape[1]) + ", " + std::to_string(shape.shape[0]);
    }
    const bool bias = std::ranges::any_of(layer.parameter_shapes(),
                                          [](const ParameterShape& s) { return s.name == "bias"; });
    return text + (bias ? ")" : ", bias=False)");
  }
  return short_text(layer.describe());
}

std::string padded(std::string text, std::size_t width) {
  // Columns are counted in bytes; the layer texts and shapes are ASCII.
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

void print_layers(std::ostream& out, const Sequential<double>& network, std::int64_t parameters) {
  std::vector<std::array<std::string, 3>> rows = {{"input", "", ""}};
  Shape shape = network.input_shape();
  rows[0][1] = shape.text();
  for (std::size_t i = 0; i < network.size(); ++i) {
    const Layer<double>& layer = network.layer(i);
    shape = layer.output_shape(shape);
    std::int64_t count = 0;
    for (const ParameterShape& tensor : layer.parameter_shapes())
      count += tensor.size();
    const std::size_t digits = std::to_string(network.size() - 1).size();
    rows.push_back({padded(std::to_string(i), digits) + "  " + layer_text(layer), shape.text(),
                    grouped(count)});
  }
  std::size_t layer_width = 5, shape_width = 12;
  for (const auto& row : rows) {
    layer_width = std::max(layer_width, row[0].size());
    shape_width = std::max(shape_width, row[1].size());
  }
  out << "  " << padded("layer", layer_width) << "  " << padded("output shape", shape_width)
      << "  parameters\n";
  for (const auto& row : rows) {
    out << "  " << padded(row[0], layer_width) << "  "
        << (row[2].empty()
                ? row[1]
                : padded(row[1], shape_width) + "  " +
                      std::string(row[2].size() < 10 ? 10 - row[2].size() : 0, ' ') + row[2])
        << "\n";
  }
  out << "  " << padded("total", layer_width + shape_width + 2) << "  "
      << std::string(grouped(parameters).size() < 10 ? 10 - grouped(parameters).size() : 0, ' ')
      << grouped(parameters) << "\n";
}

void print_data(std::ostream& out, const io::ModelDescription& description) {
  out << "features (" << description.inputs << ")";
  if (!description.feature_names.empty()) out << ": " << abbreviated(description.feature_names);
  out << "\n";
  const bool labelled = !description.label_name.empty();
  if (labelled) out << "label: " << escaped(description.label_name);
  if (!description.classes.empty()) {
    out << (labelled ? "; " : "") << "classes (" << description.classes.size()
        << "): " << abbreviated(description.classes, 12);
  }
  if (labelled || !description.classes.empty()) out << "\n";
  // Each step in the order prediction applies it.
  std::vector<std::string> steps;
  const data::MissingStrategy missing = description.missing.strategy;
  if (missing == data::MissingStrategy::drop) steps.push_back("rows with missing values dropped");
  if (!description.missing.fill.empty()) {
    steps.push_back("missing values filled with each feature's " + data::name_of(missing) +
                    " over the training rows");
  }
  if (description.pixel_scale != 1)
    steps.push_back("pixels / " + shortest(description.pixel_scale));
  if (!description.mean.empty()) {
    steps.push_back("standardisation of the " + std::to_string(description.mean.size()) +
                    " features, (x - mean) / scale, fitted on the training rows");
  }
  if (description.target) {
    steps.push_back("targets standardised (mean " + shortest(description.target->mean) +
                    ", scale " + shortest(description.target->scale) + "), undone at prediction");
  }
  if (steps.size() <= 1) {
    out << "preprocessing: " << (steps.empty() ? std::string("none") : steps[0]) << "\n";
    return;
  }
  out << "preprocessing, in this order:\n";
  for (std::size_t i = 0; i < steps.size(); ++i)
    out << "  " << i + 1 << ". " << steps[i] << "\n";
}

// The settings as one or two lines, in the order a person thinks of them; any other key the
// file holds after them, so that nothing it records is hidden.
void print_settings(std::ostream& out, const Json& settings) {
  static const std::pair<const char*, const char*> kOrder[] = {
      {"optimizer", ""},
      {"lr", "lr"},
      {"momentum", "momentum"},
      {"nesterov", "nesterov"},
      {"weight_decay", "weight decay"},
      {"schedule", "schedule"},
      {"step_size", "step size"},
      {"gamma", "gamma"},
      {"warmup", "warm-up"},
      {"clip", "clip"},
      {"batch", "batch"},
      {"seed", "seed"},
      {"val_split", "val split"},
      {"shuffle", "shuffle"},
      {"dtype", "dtype"},
      {"normalize", "normalize"},
      {"normalize_target", "normalize target"},
      {"missing", "missing"}};
  static const std::set<std::string, std::less<>> kShownElsewhere = {"layers", "loss", "epochs",
                                                                     "patience"};
  std::vector<std::string> parts;
  std::set<std::string, std::less<>> shown = kShownElsewhere;
  const std::string schedule = value_text(settings.value("schedule", Json("constant")));
  for (const auto& [key, label] : kOrder) {
    shown.insert(key);
    const Json* value = member(settings, key);
    if (value == nullptr) continue;
    const std::string k = key;
    // What does not apply is left out: momentum 0 and Nesterov off, the step schedule's
    // settings under another, warm-up 0, no clipping.
    if ((k == "momentum" || k == "warmup" || k == "clip") && value_text(*value) == "0") continue;
    if (k == "nesterov" && value_text(*value) == "off") continue;
    if ((k == "step_size" || k == "gamma") && schedule != "step") continue;
    parts.push_back(std::string(label) + (*label ? " " : "") + value_text(*value));
  }
  for (const auto& [key, value] : settings.items()) {
    if (!shown.contains(key)) parts.push_back(escaped(key) + " " + value_text(value));
  }
  if (parts.empty()) return;
  std::string line = "settings:";
  for (const std::string& part : parts) {
    if (line.size() + part.size() > 96) {
      out << line << "\n";
      line = "         ";
    }
    line += " " + part + (&part == &parts.back() ? "" : ",");
  }
  out << line << "\n";
}

void print_epochs(std::ostream& out, const Json& training, const Json& settings) {
  const Json* epochs = member(training, "epochs");
  const Json* asked = member(settings, "epochs");
  const Json* patience = member(settings, "patience");
  const Json* stopped = member(training, "stopped_early");
  if (epochs == nullptr) return;
  out << "epochs: " << value_text(*epochs);
  if (asked) out << " of " << value_text(*asked);
  if (patience && value_text(*patience) != "0") {
    out << "; early stopping after " << value_text(*patience) << " epochs without progress"
        << (stopped && stopped->is_boolean() && stopped->get<bool>()
                ? ": stopped early, the best epoch's weights kept"
                : ": did not stop early");
  } else {
    out << "; no early stopping";
  }
  out << "\n";
}

// The confusion matrix of `test` as a table, classes by number in the columns.
void print_confusion(std::ostream& out, const Json& confusion,
                     const std::vector<std::string>& classes) {
  if (!confusion.is_array() || confusion.size() > 100) return;  // not a table for a screen
  std::size_t width = std::to_string(confusion.size() - 1).size();
  for (const Json& row : confusion) {
    if (!row.is_array() || row.size() != confusion.size()) return;
    for (const Json& count : row)
      width = std::max(width, value_text(count).size());
  }
  std::vector<std::string> names;
  std::size_t name_width = 0;
  for (std::size_t i = 0; i < confusion.size(); ++i) {
    std::string name = std::to_string(i);
    if (i < classes.size() && classes[i] != name) name += " " + escaped(classes[i]).substr(0, 24);
    name_width = std::max(name_width, name.size());
    names.push_back(name);
  }
  out << "confusion (rows: true class, columns: predicted):\n  " << std::string(name_width, ' ');
  for (std::size_t i = 0; i < confusion.size(); ++i)
    out << " " << std::string(width - std::to_string(i).size(), ' ') << i;
  out << "\n";
  for (std::size_t i = 0; i < confusion.size(); ++i) {
    out << "  " << padded(names[i], name_width);
    for (const Json& count : confusion[i]) {
      const std::string text = value_text(count);
      out << " " << std::string(width > text.size() ? width - text.size() : 0, ' ') << text;
    }
    out << "\n";
  }
}

// A metric as eval prints it: 6 significant digits.
std::string metric_text(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

// The correct and all rows of a confusion matrix, when it is one.
std::optional<std::pair<std::int64_t, std::int64_t>> correct_of(const Json* confusion) {
  if (confusion == nullptr || !confusion->is_array()) return std::nullopt;
  std::int64_t correct = 0, all = 0;
  for (std::size_t i = 0; i < confusion->size(); ++i) {
    const Json& row = (*confusion)[i];
    if (!row.is_array()) return std::nullopt;
    for (std::size_t j = 0; j < row.size(); ++j) {
      if (!row[j].is_number_unsigned()) return std::nullopt;
      const auto count =
          std::int64_t(std::min<std::uint64_t>(row[j].get<std::uint64_t>(), 1LL << 40));
      all += count;
      if (i == j) correct += count;
    }
  }
  return std::pair{correct, all};
}

void print_test(std::ostream& out, const Json& training, const std::vector<std::string>& classes) {
  const Json* test = member(training, "test");
  if (test == nullptr || !test->is_object()) return;
  out << "test:";
  const char* separator = " ";
  for (const char* key : {"loss", "accuracy", "mse", "mae", "r2"}) {
    const Json* value = member(*test, key);
    if (value == nullptr || !value->is_number()) continue;
    const double number = value->get<double>();
    if (std::string_view(key) == "accuracy") {
      char text[32];
      std::snprintf(text, sizeof text, "%.4f", number);
      out << separator << "accuracy " << text;
      if (const auto counts = correct_of(member(*test, "confusion")))
        out << " (" << counts->first << "/" << counts->second << ")";
    } else {
      out << separator << key << " " << metric_text(number);
    }
    separator = "  ";
  }
  out << "\n";
  if (const Json* confusion = member(*test, "confusion")) print_confusion(out, *confusion, classes);
}

}  // namespace

Json resolved_settings(const Json& training, bool standardized) {
  const Json* given = member(training, "settings");
  if (given == nullptr || !given->is_object()) return Json::object();
  Json settings = *given;
  // The placeholders, resolved by the library's own rule (TrainSettings::resolved) from the keys
  // it reads; each replaced only where the file holds the placeholder with its type.
  training::TrainSettings probe;
  const Json* optimizer = member(settings, "optimizer");
  const std::string named =
      optimizer && optimizer->is_string() ? optimizer->get<std::string>() : "";
  // An optimizer this build does not know (a file from elsewhere) keeps its placeholders.
  const bool known_optimizer = std::ranges::any_of(
      training::kDefaultLearningRates,
      [&](const training::DefaultLearningRate& rate) { return rate.optimizer == named; });
  if (known_optimizer) probe.optimizer = named;
  if (const Json* schedule = member(settings, "schedule"); schedule && schedule->is_string())
    probe.schedule = schedule->get<std::string>();
  if (const Json* epochs = member(settings, "epochs"); epochs && epochs->is_number_integer())
    probe.epochs = int(std::clamp<std::int64_t>(epochs->get<std::int64_t>(), 1, 1'000'000));
  const training::TrainSettings used = probe.resolved(standardized);
  const auto replace = [&](const char* key, auto is_placeholder, const Json& value) {
    const auto found = settings.find(key);
    if (found != settings.end() && is_placeholder(*found)) *found = value;
  };
  if (known_optimizer) {
    replace(
        "lr", [](const Json& v) { return v.is_number() && v.get<double>() == 0; }, used.lr);
    replace(
        "weight_decay", [](const Json& v) { return v.is_number() && v.get<double>() < 0; },
        used.weight_decay);
  }
  replace(
      "step_size", [](const Json& v) { return v.is_number() && v.get<double>() == 0; },
      used.step_size);
  replace(
      "normalize", [](const Json& v) { return v == ""; }, used.normalize);
  return settings;
}

void print_summary(std::ostream& out, const ModelFileFacts& facts) {
  std::int64_t parameters = 0, buffers = 0, state = 0;
  std::set<std::string, std::less<>> buffer_names;
  if (facts.loaded) {
    for (const NamedBuffer& buffer : facts.loaded->network.named_buffers())
      buffer_names.insert(buffer.name);
  }
  std::string precision;
  for (const io::TensorRecord& tensor : facts.file.tensors) {
    const std::int64_t count = io::element_count(tensor.shape);
    if (buffer_names.contains(tensor.name)) {
      buffers += count;
    } else if (io::is_training_state(tensor.name)) {
      state += count;
    } else {
      parameters += count;
      if (precision.empty()) precision = std::string(io::dtype_name(tensor.dtype));
    }
  }
  const bool checkpoint = io::is_checkpoint(facts.file);
  out << escaped(facts.path) << ": " << (checkpoint ? "a checkpoint" : "a model") << ", "
      << (precision == "F32"   ? "float32"
          : precision == "F64" ? "float64"
                               : precision)
      << ", " << grouped(parameters) << " parameters";
  if (!buffer_names.empty()) out << " and " << grouped(buffers) << " buffer values";
  out << "\n";
  if (!facts.loaded) {
    out << "tensors:\n";
    for (const io::TensorRecord& tensor : facts.file.tensors) {
      out << "  " << escaped(tensor.name) << "  " << io::dtype_name(tensor.dtype) << " "
          << io::shape_text(tensor.shape) << "\n";
    }
    out << "no scratchnet metadata: give its architecture with --layers to eval or predict\n";
    return;
  }
  const io::ModelDescription& description = facts.loaded->description;
  print_layers(out, facts.loaded->network, parameters);
  out << "spec: " << escaped(description.spec)
      << "; loss: " << (description.loss.empty() ? "unknown" : escaped(description.loss)) << "\n";
  print_data(out, description);
  if (checkpoint) {
    const auto value = [&](const std::string& key) {
      const auto found = facts.file.metadata.find(key);
      return found == facts.file.metadata.end() ? std::string("unknown") : escaped(found->second);
    };
    out << "checkpoint: after epoch " << value("epoch") << ", with the " << value("optimizer")
        << " optimizer's state (" << grouped(state) << " values)\n";
  }
  if (facts.training.is_null()) return;
  const Json settings = resolved_settings(facts.training, !description.mean.empty());
  print_settings(out, settings);
  print_epochs(out, facts.training, settings);
  print_test(out, facts.training, description.classes);
  // Whatever else the file's training record holds, so that nothing it says is hidden.
  std::string others;
  if (facts.training.is_object()) {
    for (const auto& [key, value] : facts.training.items()) {
      if (key != "settings" && key != "epochs" && key != "stopped_early" && key != "test")
        others += (others.empty() ? "" : ", ") + escaped(key) + " " + value_text(value);
    }
  }
  if (!others.empty()) out << "training: " << others << "\n";
}

}  // namespace scratchnet::cli
