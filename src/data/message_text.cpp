#include "message_text.hpp"

namespace scratchnet::data::detail {
namespace {

constexpr std::size_t kMaxShown = 40;   // bytes of a cell that a message shows
constexpr std::size_t kMaxListed = 20;  // names that a message lists

}  // namespace

std::string escaped(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size() && i < kMaxShown; ++i) {
    if (text[i] == '\n') {
      out += "\\n";
    } else if (text[i] == '\r') {
      out += "\\r";
    } else if (text[i] == '\t') {
      out += "\\t";
    } else {
      out += text[i];
    }
  }
  if (text.size() > kMaxShown) out += "...";
  return out;
}

std::string quoted(std::string_view text) {
  std::string out = "'";  // appended, not "'" + ... + "'", which GCC 12 warns about (-Wrestrict)
  out += escaped(text);
  out += '\'';
  return out;
}

std::string listed(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < kMaxListed; ++i)
    out += (i > 0 ? ", " : "") + escaped(names[i]);
  if (names.size() > kMaxListed) out += ", ... (" + std::to_string(names.size()) + " in all)";
  return out;
}

}  // namespace scratchnet::data::detail
