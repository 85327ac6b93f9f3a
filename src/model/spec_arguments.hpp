#pragma once
// Reading the text of a layer spec entry after its token: the pieces between colons, as
// numbers in range, named options ("stride=2") and switches ("nobias"). Shared by the rows of the
// layer table (layer_kinds.cpp, image_layer_kinds.cpp); every problem is a std::invalid_argument
// whose text the spec parser quotes after the entry.

#include <charconv>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "scratchnet/matrix.hpp"

namespace scratchnet::spec {

/// A whole decimal number for the whole of `text`, or nullopt.
template <typename Number>
std::optional<Number> number(std::string_view text) {
  Number value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

[[noreturn]] inline void refuse(const std::string& problem) {
  throw std::invalid_argument(problem);
}

/// `text` as a whole number in [low, high]; else refuses, naming `what`.
inline Index whole_number(std::string_view text, Index low, Index high, const std::string& what) {
  const auto value = number<Index>(text);
  if (!value || *value < low || *value > high) {
    refuse(what + " must be a whole number in " + std::to_string(low) + ".." +
           std::to_string(high) + ", got '" + std::string(text) + "'");
  }
  return *value;
}

/// The pieces of ":6:5:stride=2:nobias": {"6", "5", "stride=2", "nobias"}. Refuses text that
/// does not start with ':' (the usage says what the entry takes) or has an empty piece.
inline std::vector<std::string_view> pieces(std::string_view arguments, const std::string& usage) {
  if (!arguments.starts_with(':')) refuse("expected " + usage);
  std::vector<std::string_view> parts;
  std::size_t start = 1;
  while (true) {
    const std::size_t colon = arguments.find(':', start);
    const std::string_view part = arguments.substr(start, colon - start);
    if (part.empty()) refuse("an empty piece between colons; expected " + usage);
    parts.push_back(part);
    if (colon == std::string_view::npos) return parts;
    start = colon + 1;
  }
}

/// The options after an entry's positional pieces: each "name=value" or a switch, named at most
/// once, from a fixed list.
class Options {
 public:
  /// `parts` are the pieces after the positional ones; `usage` is quoted in every refusal.
  Options(std::vector<std::string_view> parts, std::string usage)
      : parts_(std::move(parts)), used_(parts_.size(), false), usage_(std::move(usage)) {}

  /// The value of "name=VALUE" as a whole number in [low, high], or `fallback` when absent.
  Index value(std::string_view name, Index low, Index high, Index fallback) {
    const std::optional<std::string_view> text = take(name, true);
    return text ? whole_number(*text, low, high, std::string(name)) : fallback;
  }

  /// Whether the switch `name` is given.
  bool has(std::string_view name) { return take(name, false).has_value(); }

  /// Refuses the first piece no value() or has() took.
  void finish() const {
    for (std::size_t i = 0; i < parts_.size(); ++i) {
      if (!used_[i]) refuse("unknown option '" + std::string(parts_[i]) + "'; expected " + usage_);
    }
  }

 private:
  std::optional<std::string_view> take(std::string_view name, bool valued) {
    std::optional<std::string_view> found;
    for (std::size_t i = 0; i < parts_.size(); ++i) {
      const std::string_view part = parts_[i];
      const std::string_view key = part.substr(0, part.find('='));
      if (key != name) continue;
      if (found) refuse(std::string(name) + " is given twice");
      if (valued != (key.size() < part.size())) {
        refuse(valued ? std::string(name) + " needs a value, as in " + std::string(name) + "=2"
                      : std::string(name) + " takes no value");
      }
      found = part.substr(std::min(part.size(), key.size() + 1));
      used_[i] = true;
    }
    return found;
  }

  std::vector<std::string_view> parts_;
  std::vector<bool> used_;
  std::string usage_;
};

}  // namespace scratchnet::spec
