#include "scratchnet/text/one_line.hpp"

#include <algorithm>

#include "scratchnet/text/utf8.hpp"

namespace scratchnet {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void append_hex_byte(std::string& out, unsigned char byte) {
  out.append("\\x").append(1, kHex[byte >> 4]).append(1, kHex[byte & 15]);
}

}  // namespace

std::string on_one_line(std::string_view text) {
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = bytes[i];
    if (c >= 0x20 && c < 0x7f) {
      out += char(c);
      ++i;
    } else if (c == '\n' || c == '\r' || c == '\t') {
      out.append(1, '\\').append(1, c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
      ++i;
    } else if (c < 0x80) {  // the other C0 controls and DEL
      append_hex_byte(out, c);
      ++i;
    } else if (const std::size_t length = utf8_sequence_length(text.substr(i))) {
      if (c == 0xc2 && bytes[i + 1] <= 0x9f) {  // U+0080 to U+009F, the C1 controls
        out.append("\\u00").append(1, kHex[bytes[i + 1] >> 4]).append(1, kHex[bytes[i + 1] & 15]);
      } else {
        out.append(text.substr(i, length));
      }
      i += length;
    } else {
      append_hex_byte(out, c);
      ++i;
    }
  }
  return out;
}

std::string shown(std::string_view text, std::size_t max_bytes) {
  // Escaping never shortens text, so the first max_bytes + 3 bytes (enough to end a character
  // begun before max_bytes) decide what is shown.
  std::string line = on_one_line(text.substr(0, max_bytes + 3));
  if (line.size() <= max_bytes) return line;
  // The longest start of `text` that ends before a character and fits once escaped: cut there,
  // neither a character nor an escape (\x1b) is split.
  for (std::size_t end = std::min(text.size(), max_bytes); end > 0; --end) {
    const bool inside_a_character =
        end < text.size() && (static_cast<unsigned char>(text[end]) & 0xc0) == 0x80;
    if (inside_a_character) continue;
    line = on_one_line(text.substr(0, end));
    if (line.size() <= max_bytes) return line + "...";
  }
  return "...";
}

std::string in_quotes(std::string_view text, std::size_t max_bytes) {
  std::string out = "'";  // then appended to: GCC 12 warns (-Wrestrict) on "'" + std::string&&
  out += shown(text, max_bytes);
  return out += '\'';
}

}  // namespace scratchnet
