#include "flag_values.hpp"
#include "scratchnet/one_line.hpp"

#include <charconv>
#include <cmath>
#include <system_error>

namespace scratchnet::cli {
namespace {

std::string range(std::int64_t minimum, std::int64_t maximum) {
  return std::to_string(minimum) + ".." + std::to_string(maximum);
}

}  // namespace

std::int64_t parse_integer(const std::string& flag, const std::string& text, std::int64_t minimum,
                           std::int64_t maximum) {
  std::int64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || (error != std::errc() && error != std::errc::result_out_of_range) ||
      stop != end) {
    throw FlagError(
        flag, "expected a whole number in " + range(minimum, maximum) + ", got " + in_quotes(text));
  }
  if (error == std::errc::result_out_of_range || value < minimum || value > maximum) {
    throw FlagError(flag, in_quotes(text) + " is out of range " + range(minimum, maximum));
  }
  return value;
}

double parse_non_negative(const std::string& flag, const std::string& text) {
  double value = 0;
  const char* end = text.data() + text.size();
  const auto [stop, error] = std::from_chars(text.data(), end, value);
  if (text.empty() || error == std::errc::invalid_argument || stop != end) {
    throw FlagError(flag, "expected a number, got " + in_quotes(text));
  }
  if (error == std::errc::result_out_of_range) {
    throw FlagError(flag, in_quotes(text) + " is out of the range of a double");
  }
  if (!std::isfinite(value))
    throw FlagError(flag, "must be a finite number, got " + in_quotes(text));
  if (value < 0) throw FlagError(flag, "must not be negative, got " + in_quotes(text));
  return value;
}

}  // namespace scratchnet::cli
