#pragma once
// Pieces of the one-line messages that the loaders in src/data write: text from a file kept on
// one line, and lists of names, both cut short so that a message stays readable.

#include <string>
#include <string_view>
#include <vector>

namespace scratchnet::data::detail {

/// `text` with its control characters escaped as on_one_line does (\n, \r, \t, \x1b, …), and
/// "..." in place of anything after its first 40 bytes.
std::string escaped(std::string_view text);

/// escaped(text) in single quotes.
std::string quoted(std::string_view text);

/// The first 20 of `names`, escaped and joined by ", ", then ", ... (N in all)" when there are
/// more.
std::string listed(const std::vector<std::string>& names);

}  // namespace scratchnet::data::detail
