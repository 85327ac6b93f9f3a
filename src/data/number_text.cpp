#include "number_text.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

namespace scratchnet::data::detail {

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::optional<double> parse_number(std::string_view text) {
  text = trim(text);
  // from_chars takes no '+', which Python's float() and numpy's loadtxt do.
  if (text.size() > 1 && text[0] == '+' && text[1] != '-' && text[1] != '+') text.remove_prefix(1);
  const char* const begin = text.data();
  const char* const end = begin + text.size();
  double value = 0;
  const auto [stop, error] = std::from_chars(begin, end, value);
  if (text.empty() || stop != end) return std::nullopt;
  if (error == std::errc()) return value;
  if (error != std::errc::result_out_of_range) return std::nullopt;
  // Out of a double's range: Python's float() makes 1e999 inf and 1e-400 0.0. long double's
  // wider exponent tells the two apart and rounds a value just below a double's smallest.
  const double sign = text[0] == '-' ? -1.0 : 1.0;
  long double wide = 0;
  if (std::from_chars(begin, end, wide).ec != std::errc()) {  // beyond even long double's range
    const auto exponent = text.find_first_of("eE");
    const bool tiny = exponent != std::string_view::npos && exponent + 1 < text.size() &&
                      text[exponent + 1] == '-';
    return tiny ? sign * 0.0 : sign * std::numeric_limits<double>::infinity();
  }
  if (std::fabs(wide) > std::numeric_limits<double>::max()) {
    return sign * std::numeric_limits<double>::infinity();
  }
  return static_cast<double>(wide);
}

std::optional<double> parse_finite(std::string_view text) {
  const auto value = parse_number(text);
  if (!value || !std::isfinite(*value)) return std::nullopt;
  return value;
}

bool is_missing(std::string_view text) {
  // pandas' default na_values, and "?", with which the UCI repository's files mark a gap.
  static constexpr std::array<std::string_view, 18> kWords = {
      "NA",       "N/A",     "n/a",      "NULL",   "null",    "None", "<NA>", "#N/A", "#NA",
      "#N/A N/A", "-1.#IND", "-1.#QNAN", "1.#IND", "1.#QNAN", "nan",  "-nan", "NaN",  "?"};
  text = trim(text);
  if (text.empty() || std::find(kWords.begin(), kWords.end(), text) != kWords.end()) return true;
  const auto value = parse_number(text);
  return value && std::isnan(*value);
}

}  // namespace scratchnet::data::detail
