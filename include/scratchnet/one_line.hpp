#pragma once
// Error messages are one line each, even when they quote what a user typed.

#include <string>
#include <string_view>

namespace scratchnet {

/// `text` with its line breaks written as \n and \r.
std::string on_one_line(std::string_view text);

}  // namespace scratchnet
