#include "message_text.hpp"

#include "scratchnet/one_line.hpp"

namespace scratchnet::data::detail {
namespace {

constexpr std::size_t kMaxShown = 40;   // bytes of a cell that a message shows
constexpr std::size_t kMaxListed = 20;  // names that a message lists

}  // namespace

std::string escaped(std::string_view text) {
  // Every control character escaped (a NUL would end the message, an ESC reach the terminal).
  std::string out = on_one_line(text.substr(0, kMaxShown));
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
