#pragma once
// Error messages are one line each, even when they quote what a user typed or a file holds, and
// they are safe to print: a file cannot send escape sequences to the terminal through them.

#include <cstddef>
#include <string>
#include <string_view>

namespace scratchnet {

/// `text` with every control character written out: line breaks and tabs as \n, \r and \t, the
/// other C0 characters, DEL and bytes that are not part of valid UTF-8 as \xHH, and the C1
/// controls (U+0080 to U+009F, which terminals also obey) as \u0080 to \u009f. Valid UTF-8 text
/// is kept as it is, and a backslash stays a backslash, so that applying it twice changes
/// nothing more: an exception can escape its message, and main() again, safely. NUL becomes
/// \x00, which is what lets a message hold it at all (std::exception::what() ends at a NUL).
std::string on_one_line(std::string_view text);

/// How a message shows text that a user typed or a file holds: on_one_line(text), cut after
/// `max_bytes` bytes (at a character's start) with "..." in place of the rest, so that a
/// megabyte-long cell makes a short message. Reads only the first max_bytes + 3 bytes of `text`.
std::string shown(std::string_view text, std::size_t max_bytes = 200);

/// shown(text, max_bytes) in single quotes: "unknown dtype 'F17'".
std::string in_quotes(std::string_view text, std::size_t max_bytes = 200);

}  // namespace scratchnet
