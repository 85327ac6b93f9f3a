#pragma once
// Checking that text read from a data file is UTF-8, for the loaders in src/data only: header
// names and labels end up in model files (JSON, which must be UTF-8) and in messages, so a
// malformed byte is refused where it is read, not after training when the model is written.

#include <cstddef>
#include <optional>
#include <string_view>

namespace scratchnet::data::detail {

/// The offset of the first byte of `text` that does not start a well-formed UTF-8 sequence
/// (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), or nullopt when all of
/// `text` is well-formed.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);

}  // namespace scratchnet::data::detail
