#pragma once
// Numbers written as text in data files, for the loaders in src/data only. A cell is read as
// Python's float() reads it, but with std::from_chars, so no locale can change the decimal point:
// spaces and tabs around it and a leading '+' are allowed; "nan" and "inf" (any case) are numbers,
// though not finite ones; a value too large for a double is infinite and one too small is 0.

#include <optional>
#include <string_view>

namespace scratchnet::data::detail {

/// `text` without the spaces and tabs at either end.
std::string_view trim(std::string_view text);

/// The number that the whole of `text` spells, or nullopt when it is not one.
std::optional<double> parse_number(std::string_view text);

/// The finite number that the whole of `text` spells, or nullopt.
std::optional<double> parse_finite(std::string_view text);

/// Whether `text` (spaces and tabs around it aside) marks a missing value: empty, a NaN, or one
/// of the words pandas' read_csv takes for one ("NA", "N/A", "null", "None", "#N/A", …) or "?".
bool is_missing(std::string_view text);

}  // namespace scratchnet::data::detail
