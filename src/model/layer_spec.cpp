#include "scratchnet/model/layer_spec.hpp"

#include "scratchnet/model/layer_kinds.hpp"
#include "scratchnet/text/one_line.hpp"

namespace scratchnet {
namespace {

std::string_view trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

[[noreturn]] void fail(std::size_t position, std::string_view entry, const std::string& problem) {
  throw SpecError(on_one_line("layer spec entry " + std::to_string(position + 1) + " '" +
                              std::string(entry) + "': " + problem));
}

// The activations a Linear entry may end with, as the table lists them.
std::string activation_tokens() {
  std::string list;
  for (const LayerKind* row : layer_kinds()) {
    if (row->activation) list += (list.empty() ? "" : ", ") + row->token;
  }
  return list;
}

const LayerKind& row_of(const LayerDescription& layer) {
  const LayerKind* row = find_layer_kind(layer.kind);
  if (row == nullptr) {
    throw std::invalid_argument("layer kind " + layer.kind +
                                " has no layer spec entry (register_layer_kind)");
  }
  return *row;
}

SpecEntry parse_entry(std::size_t position, std::string_view entry) {
  if (entry.empty())
    fail(position, entry, "empty entry (two commas in a row, or a trailing comma?)");
  const auto colon = entry.find(':');
  const std::string_view head = trimmed(entry.substr(0, colon));
  const std::string_view tail =
      colon == std::string_view::npos ? std::string_view() : trimmed(entry.substr(colon + 1));
  if (colon != std::string_view::npos && tail.empty()) fail(position, entry, "nothing after ':'");

  try {
    // A layer of its own: "relu", "leaky_relu=0.2", "dropout:0.2", "conv:6:5:relu".
    const std::string_view token = head.substr(0, head.find('='));
    if (const LayerKind* row = find_layer_token(token)) {
      std::string arguments(head.substr(token.size()));
      if (colon != std::string_view::npos) arguments.append(":").append(tail);
      const LayerKind* activation = nullptr;
      const std::size_t last = arguments.rfind(':');
      if (row->takes_activation && last != std::string::npos) {
        const std::string_view after = std::string_view(arguments).substr(last + 1);
        activation = find_layer_token(after.substr(0, after.find('=')));
        if (activation != nullptr && !activation->activation) activation = nullptr;
      }
      if (activation == nullptr) return {{row->parse(arguments)}};
      const std::string_view after = std::string_view(arguments).substr(last + 1);
      SpecEntry parsed{{row->parse(arguments.substr(0, last))}};
      parsed.layers.push_back(activation->parse(after.substr(activation->token.size())));
      return parsed;
    }

    // A Linear layer, "UNITS[:nobias]", then perhaps its activation.
    std::string_view activation = tail;
    std::string linear(head);
    if (activation == "nobias" || activation.starts_with("nobias:")) {
      linear += ":nobias";
      activation = activation == "nobias" ? std::string_view() : trimmed(activation.substr(7));
      if (activation.empty() && tail != "nobias") fail(position, entry, "nothing after ':'");
    }
    SpecEntry parsed{{find_layer_kind("Linear")->parse(linear)}};
    if (activation.empty()) return parsed;
    const std::string_view name = activation.substr(0, activation.find('='));
    const LayerKind* row = find_layer_token(name);
    if (row == nullptr || !row->activation) {
      fail(position, entry,
           "unknown activation '" + std::string(name) + "' (valid: " + activation_tokens() + ")");
    }
    parsed.layers.push_back(row->parse(activation.substr(name.size())));
    return parsed;
  } catch (const SpecError&) {
    throw;
  } catch (const std::invalid_argument& problem) {
    fail(position, entry, problem.what());
  }
}

// A description's text after its token: the whole entry for a Linear, "=0.2" for a leaky_relu.
std::string arguments_of(const LayerDescription& layer) {
  return row_of(layer).format(layer);
}

}  // namespace

std::vector<SpecEntry> parse_layer_spec(std::string_view spec) {
  if (trimmed(spec).empty()) throw SpecError("layer spec is empty; expected e.g. 128:relu,10");
  std::vector<SpecEntry> entries;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = spec.find(',', start);
    const std::string_view entry = trimmed(spec.substr(start, comma - start));
    entries.push_back(parse_entry(entries.size(), entry));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return entries;
}

std::string format_layer_spec(const std::vector<SpecEntry>& entries) {
  std::string text;
  for (const SpecEntry& entry : entries) {
    if (!text.empty()) text += ",";
    for (std::size_t i = 0; i < entry.layers.size(); ++i) {
      const LayerKind& row = row_of(entry.layers[i]);
      if (i > 0) text += ":";
      text.append(row.token).append(arguments_of(entry.layers[i]));
    }
  }
  return text;
}

template <typename T>
std::vector<SpecEntry> model_spec(const Sequential<T>& model) {
  std::vector<SpecEntry> entries;
  // Whether the last entry is a Linear or a Conv2d alone, which may take an activation.
  bool open_for_activation = false;
  model.for_each_layer([&](std::size_t, const Layer<T>& layer, const LayerSlices&) {
    const LayerDescription description = layer.describe();
    const LayerKind& row = row_of(description);
    // Its spec attributes: those the entry's text gives (a Linear's in_features is not one).
    const LayerDescription spec = row.parse(row.format(description));
    if (open_for_activation && row.activation) {
      entries.back().layers.push_back(spec);
      open_for_activation = false;
      return;
    }
    entries.push_back({{spec}});
    open_for_activation = row.takes_activation;
  });
  return entries;
}

Shape model_input_shape(const std::vector<SpecEntry>& entries, const Shape& sample) {
  for (const SpecEntry& entry : entries) {
    for (const LayerDescription& layer : entry.layers)
      if (row_of(layer).needs_images) return sample;
  }
  return Shape(sample.elements());
}

template <typename T>
std::vector<std::unique_ptr<Layer<T>>> make_layers(const std::vector<SpecEntry>& entries,
                                                   const Shape& input) {
  std::vector<std::unique_ptr<Layer<T>>> layers;
  Shape shape = input;
  for (std::size_t position = 0; position < entries.size(); ++position) {
    try {
      for (const LayerDescription& description : entries[position].layers) {
        layers.push_back(row_of(description).factory<T>()(description, shape));
        shape = layers.back()->output_shape(shape);
      }
    } catch (const std::invalid_argument& problem) {
      // Which entry cannot take the shape it is given: "entry 5 'maxpool:2': ...".
      fail(position, format_layer_spec({entries[position]}), problem.what());
    }
  }
  return layers;
}

template <typename T>
Sequential<T> build_model(const std::vector<SpecEntry>& entries, const Shape& input) {
  Sequential<T> model(input);
  for (auto& layer : make_layers<T>(entries, input))
    model.add(std::move(layer));
  return model;
}

template std::vector<SpecEntry> model_spec<float>(const Sequential<float>&);
template std::vector<SpecEntry> model_spec<double>(const Sequential<double>&);
template std::vector<std::unique_ptr<Layer<float>>> make_layers<float>(
    const std::vector<SpecEntry>&, const Shape&);
template std::vector<std::unique_ptr<Layer<double>>> make_layers<double>(
    const std::vector<SpecEntry>&, const Shape&);
template Sequential<float> build_model<float>(const std::vector<SpecEntry>&, const Shape&);
template Sequential<double> build_model<double>(const std::vector<SpecEntry>&, const Shape&);

}  // namespace scratchnet
