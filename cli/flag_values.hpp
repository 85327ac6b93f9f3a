#pragma once
// Strict conversion of flag values. CLI11 collects each value as the text the user typed; these
// turn it into a number or throw a FlagError that names the flag and says what is wrong.

#include <cstdint>
#include <stdexcept>
#include <string>

#include "scratchnet/shape.hpp"
#include "scratchnet/text/one_line.hpp"

namespace scratchnet::cli {

/// A flag whose value cannot be used; what() is one line naming the flag and the problem.
class FlagError : public std::runtime_error {
 public:
  FlagError(const std::string& flag, const std::string& problem)
      : std::runtime_error(on_one_line(flag + ": " + problem)) {}
};

/// An integer in [minimum, maximum], written in decimal digits with an optional leading '-'.
std::int64_t parse_integer(const std::string& flag, const std::string& text, std::int64_t minimum,
                           std::int64_t maximum);

/// A finite decimal number, zero or more ("1", "0.5", "1e-3"; not "nan", "inf" or "-1").
double parse_non_negative(const std::string& flag, const std::string& text);

/// A sample shape written as whole numbers of at least 1 joined by commas ("3,32,32", "784"):
/// 1 to 4 of them, with at most 2^31 − 1 values in all.
Shape parse_shape(const std::string& flag, const std::string& text);

}  // namespace scratchnet::cli
