#pragma once
// Well-formed UTF-8 (RFC 3629): what model files (JSON), data files' header names and labels,
// and the text of error messages are checked or escaped against. One definition for all of
// them: no overlong forms, no surrogates (U+D800 to U+DFFF), nothing above U+10FFFF.

#include <cstddef>
#include <optional>
#include <string_view>

namespace scratchnet {

/// The length (1 to 4 bytes) of the well-formed UTF-8 sequence that starts `text`, or 0 when
/// `text` is empty or does not start with one.
std::size_t utf8_sequence_length(std::string_view text);

/// The offset of the first byte of `text` that does not start a well-formed UTF-8 sequence, or
/// nullopt when all of `text` is well-formed.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);

}  // namespace scratchnet
