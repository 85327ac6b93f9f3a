#pragma once
// Numbers as text for people: the shortest decimal that reads back as the same double, as
// Python's repr() writes it ("0.1", "2.0000001", "1e-05", "nan").

#include <charconv>
#include <iterator>
#include <string>

namespace scratchnet {

/// The shortest round-trip decimal text of `value`.
inline std::string shortest(double value) {
  char buffer[32];
  return std::string(buffer, std::to_chars(buffer, std::end(buffer), value).ptr);
}

/// The shortest decimal text that reads back as the float nearest `value`: a number computed from
/// a float32 model shown with the digits float32 has ("0.1", not "0.10000000149011612").
inline std::string shortest_float(double value) {
  char buffer[32];
  return std::string(buffer,
                     std::to_chars(buffer, std::end(buffer), static_cast<float>(value)).ptr);
}

}  // namespace scratchnet
