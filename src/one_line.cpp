#include "scratchnet/one_line.hpp"

namespace scratchnet {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void append_hex_byte(std::string& out, unsigned char byte) {
  out.append("\\x").append(1, kHex[byte >> 4]).append(1, kHex[byte & 15]);
}

// The length of the valid UTF-8 sequence of two or more bytes at `bytes[0]`, or 0 when there is
// none (no overlong forms, surrogates or values past U+10FFFF).
std::size_t multibyte_length(const unsigned char* bytes, std::size_t available) {
  const unsigned char lead = bytes[0];
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xbf;  // the allowed range of the second byte
  if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    if (lead == 0xe0) low = 0xa0;
    if (lead == 0xed) high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    if (lead == 0xf0) low = 0x90;
    if (lead == 0xf4) high = 0x8f;
  } else {
    return 0;
  }
  if (length > available) return 0;
  if (bytes[1] < low || bytes[1] > high) return 0;
  for (std::size_t k = 2; k < length; ++k)
    if (bytes[k] < 0x80 || bytes[k] > 0xbf) return 0;
  return length;
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
    } else if (const std::size_t length = multibyte_length(bytes + i, text.size() - i)) {
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

}  // namespace scratchnet
