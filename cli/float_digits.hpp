#pragma once
// Numbers from a float32 model shown with the digits float32 has: a loss computed in float, or
// in double from float weights, printed as a double shows 17 significant digits, the last ten
// of them noise ("1.1498323678970337" for the float 1.1498324).

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string>

namespace scratchnet::cli {

/// Whether the model file at `path` holds float32 parameters: its first floating tensor says,
/// as a model file holds one precision. Reads the file.
bool holds_float32(const std::string& path);

/// The double nearest the shortest decimal of the float nearest `value`: written as JSON (whose
/// numbers are doubles), it shows float32's digits ("1.1498324") and reads back as that float.
double with_float_digits(double value);

/// Every number under a key named in `keys`, anywhere in `json` (in lists and objects alike),
/// replaced by with_float_digits of it. Other numbers (counts, ratios, seconds) are left alone.
void use_float_digits(nlohmann::json& json, std::initializer_list<const char*> keys);

}  // namespace scratchnet::cli
