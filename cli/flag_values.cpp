#include "flag_values.hpp"
#include "scratchnet/text/one_line.hpp"

#include <charconv>
#include <cmath>
#include <system_error>
#include <vector>

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

Shape parse_shape(const std::string& flag, const std::string& text) {
  constexpr std::int64_t kMaxValues = 2147483647;
  std::vector<Index> dims;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    const std::string dim = text.substr(start, comma - start);
    if (dim.empty() || dim.find_first_not_of("0123456789") != std::string::npos) {
      throw FlagError(
          flag, "expected whole numbers joined by commas, as in 1,28,28, got " + in_quotes(text));
    }
    dims.push_back(Index(parse_integer(flag, dim, 1, kMaxValues)));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  if (dims.size() > 4) throw FlagError(flag, "at most 4 dimensions, got " + in_quotes(text));
  std::int64_t values = 1;
  for (const Index dim : dims) {
    values *= dim;  // each factor and the product so far are below 2^31: no overflow
    if (values > kMaxValues) {
      throw FlagError(flag,
                      in_quotes(text) + " has more than " + std::to_string(kMaxValues) + " values");
    }
  }
  return Shape(std::move(dims));
}

}  // namespace scratchnet::cli
