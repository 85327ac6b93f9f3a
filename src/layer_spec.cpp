#include "scratchnet/layer_spec.hpp"

#include <charconv>
#include <cmath>
#include <limits>
#include <optional>

#include "scratchnet/io/shortest.hpp"
#include "scratchnet/layers/dense.hpp"
#include "scratchnet/layers/dropout.hpp"
#include "scratchnet/layers/gelu.hpp"
#include "scratchnet/layers/leaky_relu.hpp"
#include "scratchnet/layers/relu.hpp"
#include "scratchnet/layers/sigmoid.hpp"
#include "scratchnet/layers/softmax.hpp"
#include "scratchnet/layers/tanh.hpp"
#include "scratchnet/one_line.hpp"

namespace scratchnet {
namespace {

constexpr Index kMaxUnits = 100'000'000;
constexpr double kDefaultLeakySlope = 0.01;
constexpr const char* kActivations = "sigmoid, tanh, relu, leaky_relu, gelu, softmax";

std::string_view trimmed(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

[[noreturn]] void fail(std::size_t position, std::string_view entry, const std::string& problem) {
  throw SpecError(on_one_line("layer spec entry " + std::to_string(position + 1) + " '" +
                              std::string(entry) + "': " + problem));
}

// A whole decimal number for the whole of `text`, or nullopt.
template <typename Number>
std::optional<Number> number(std::string_view text) {
  Number value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

SpecEntry parse_entry(std::size_t position, std::string_view entry) {
  if (entry.empty())
    fail(position, entry, "empty entry (two commas in a row, or a trailing comma?)");
  const auto colon = entry.find(':');
  const std::string_view head = trimmed(entry.substr(0, colon));
  const std::string_view tail =
      colon == std::string_view::npos ? std::string_view() : trimmed(entry.substr(colon + 1));
  if (colon != std::string_view::npos && tail.empty()) fail(position, entry, "nothing after ':'");

  SpecEntry parsed;
  if (head == "dropout") {
    parsed.kind = SpecEntry::Kind::dropout;
    const auto p = number<double>(tail);
    if (tail.empty()) fail(position, entry, "dropout needs a probability, as in dropout:0.2");
    if (!p || !(*p >= 0 && *p < 1)) fail(position, entry, "dropout probability must be in [0, 1)");
    parsed.parameter = *p;
    return parsed;
  }

  const auto units = number<Index>(head);
  if (!units) {
    fail(position, entry,
         "expected UNITS[:ACTIVATION] or dropout:P, and '" + std::string(head) +
             "' is not a number of units");
  }
  if (*units < 1 || *units > kMaxUnits) {
    fail(position, entry, "units must be in 1.." + std::to_string(kMaxUnits));
  }
  parsed.units = *units;
  if (tail.empty()) return parsed;

  const auto equals = tail.find('=');
  const std::string_view name = tail.substr(0, equals);
  if (name != "sigmoid" && name != "tanh" && name != "relu" && name != "leaky_relu" &&
      name != "gelu" && name != "softmax") {
    fail(position, entry,
         "unknown activation '" + std::string(name) + "' (valid: " + kActivations + ")");
  }
  parsed.activation = std::string(name);
  if (name == "leaky_relu") parsed.parameter = kDefaultLeakySlope;
  if (equals != std::string_view::npos) {
    if (name != "leaky_relu") fail(position, entry, "only leaky_relu takes a value");
    const auto slope = number<double>(tail.substr(equals + 1));
    if (!slope || !std::isfinite(*slope)) {
      fail(position, entry, "leaky_relu's slope must be a finite number, as in leaky_relu=0.2");
    }
    parsed.parameter = *slope;
  }
  return parsed;
}

template <typename T>
void add_activation(Sequential<T>& model, const SpecEntry& entry) {
  const std::string& name = entry.activation;
  if (name.empty()) return;
  if (name == "sigmoid") model.template emplace<Sigmoid<T>>();
  if (name == "tanh") model.template emplace<Tanh<T>>();
  if (name == "relu") model.template emplace<ReLU<T>>();
  if (name == "leaky_relu") model.template emplace<LeakyReLU<T>>(T(entry.parameter));
  if (name == "gelu") model.template emplace<GELU<T>>();
  if (name == "softmax") model.template emplace<Softmax<T>>();
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
    if (entry.kind == SpecEntry::Kind::dropout) {
      text.append("dropout:").append(io::shortest(entry.parameter));
      continue;
    }
    text += std::to_string(entry.units);
    if (!entry.activation.empty()) text.append(":").append(entry.activation);
    if (entry.activation == "leaky_relu" && entry.parameter != kDefaultLeakySlope) {
      text.append("=").append(io::shortest(entry.parameter));
    }
  }
  return text;
}

template <typename T>
Sequential<T> build_model(const std::vector<SpecEntry>& entries, Index inputs) {
  Sequential<T> model(inputs);
  for (const SpecEntry& entry : entries) {
    if (entry.kind == SpecEntry::Kind::dropout) {
      model.template emplace<Dropout<T>>(entry.parameter);
      continue;
    }
    model.template emplace<Dense<T>>(model.outputs(), entry.units, Bias::add);
    add_activation(model, entry);
  }
  return model;
}

template Sequential<float> build_model<float>(const std::vector<SpecEntry>&, Index);
template Sequential<double> build_model<double>(const std::vector<SpecEntry>&, Index);

}  // namespace scratchnet
