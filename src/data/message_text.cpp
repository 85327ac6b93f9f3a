#include "message_text.hpp"

#include "scratchnet/text/one_line.hpp"

namespace scratchnet::data::detail {
namespace {

constexpr std::size_t kMaxListed = 20;  // names that a message lists

}  // namespace

std::string escaped(std::string_view text) {
  return shown(text, kMaxShown);
}

std::string quoted(std::string_view text) {
  return in_quotes(text, kMaxShown);
}

std::string listed(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < kMaxListed; ++i)
    out += (i > 0 ? ", " : "") + escaped(names[i]);
  if (names.size() > kMaxListed) out += ", ... (" + std::to_string(names.size()) + " in all)";
  return out;
}

std::string quoted_list(const std::vector<std::string>& names) {
  std::vector<std::string> quoted_names;
  for (std::size_t i = 0; i < names.size() && i < kMaxListed; ++i)
    quoted_names.push_back(detail::quoted(names[i]));  // not std::quoted, which ADL finds too
  std::string out = listed(quoted_names);
  if (names.size() > kMaxListed) out += ", ... (" + std::to_string(names.size()) + " in all)";
  return out;
}

}  // namespace scratchnet::data::detail
