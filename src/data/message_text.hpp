#pragma once
// Pieces of the one-line messages that the loaders in src/data write: text from a file kept on
// one line, and lists of names, both cut short so that a message stays readable.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace scratchnet::data::detail {

/// How much of a cell or a name the loaders' messages show (shown(), in_quotes() of one_line.hpp).
constexpr std::size_t kMaxShown = 40;

/// `text` as the loaders' messages show it: shown(text, kMaxShown).
std::string escaped(std::string_view text);

/// `text` in single quotes as the loaders' messages show it: in_quotes(text, kMaxShown).
std::string quoted(std::string_view text);

/// The first 20 of `names`, escaped and joined by ", ", then ", ... (N in all)" when there are
/// more.
std::string listed(const std::vector<std::string>& names);

/// The same with each name in single quotes, as quoted() shows it.
std::string quoted_list(const std::vector<std::string>& names);

}  // namespace scratchnet::data::detail
