// Fuzzes the IDX reader (data::read_idx), raw and gzip-compressed.
//
// Each input is read as it is (raw bytes, or a gzip file when it starts with 1f 8b), and
//   - a rejected file gets a DataError whose message is one line; nothing else is thrown;
//   - an accepted file is consistent: at least one dimension, none 0, their product the number
//     of values; a raw file is exactly its header and those values, which are its bytes;
//   - a gzip input is inflated here with zlib (every member, as gzip -d does, refusing trailing
//     bytes): the reader accepts it exactly when the inflated bytes are a valid raw IDX file,
//     and then reads the same dimensions and values;
//   - a raw input is also compressed here, into two concatenated gzip members, and the reader
//     must read that exactly as it read the raw bytes.

#include <zlib.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "harness.hpp"
#include "scratchnet/data/idx.hpp"

namespace {

using namespace scratchnet;
using fuzz::require;

constexpr std::size_t kMaxInflated = 64 << 20;

std::optional<data::IdxArray> read(fuzz::MemoryFile& memory, std::string_view bytes) {
  try {
    return data::read_idx(memory.write(bytes));
  } catch (const data::DataError& error) {
    require(fuzz::one_line(error.what()), std::string("multi-line message: ") + error.what());
    return std::nullopt;
  }
}

bool is_gzip(std::string_view bytes) {
  return bytes.size() >= 2 && std::uint8_t(bytes[0]) == 0x1f && std::uint8_t(bytes[1]) == 0x8b;
}

// `bytes` as gzip members, one for each piece split at `cut`.
std::string gzip(std::string_view bytes, std::size_t cut) {
  std::string out;
  for (std::string_view piece : {bytes.substr(0, cut), bytes.substr(cut)}) {
    z_stream stream{};
    if (deflateInit2(&stream, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) abort();
    std::string member(deflateBound(&stream, uLong(piece.size())), '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(piece.data()));
    stream.avail_in = uInt(piece.size());
    stream.next_out = reinterpret_cast<Bytef*>(member.data());
    stream.avail_out = uInt(member.size());
    if (deflate(&stream, Z_FINISH) != Z_STREAM_END) abort();
    member.resize(stream.total_out);
    deflateEnd(&stream);
    out += member;
  }
  return out;
}

// The inflated bytes of every gzip member in `bytes`, or nullopt when any is corrupt or
// truncated, or bytes follow the last one that do not start another.
std::optional<std::string> gunzip(std::string_view bytes) {
  std::string out;
  z_stream stream{};
  if (inflateInit2(&stream, 15 + 16) != Z_OK) abort();
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  stream.avail_in = uInt(bytes.size());
  std::optional<std::string> result;
  char buffer[1 << 14];
  while (true) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof buffer;
    const int status = inflate(&stream, Z_NO_FLUSH);
    out.append(buffer, sizeof buffer - stream.avail_out);
    if (out.size() > kMaxInflated) break;
    if (status == Z_STREAM_END) {
      if (stream.avail_in == 0) {
        result = std::move(out);
        break;
      }
      inflateReset(&stream);
      continue;
    }
    if (status != Z_OK) break;  // corrupt, or (Z_BUF_ERROR) truncated: no input left
  }
  inflateEnd(&stream);
  return result;
}

bool same(const data::IdxArray& a, const data::IdxArray& b) {
  return a.dims == b.dims && a.values == b.values;
}

void check_consistent(const data::IdxArray& array, std::string_view bytes, bool raw) {
  require(!array.dims.empty(), "no dimensions");
  std::uint64_t count = 1;
  for (std::uint32_t dim : array.dims) {
    require(dim > 0, "a dimension is 0");
    count *= dim;
  }
  require(count == array.values.size(), "dims' product " + std::to_string(count) + " but " +
                                            std::to_string(array.values.size()) + " values");
  if (!raw) return;
  const std::size_t header = 4 + 4 * array.dims.size();
  require(bytes.size() == header + count, "a raw file of other size than header + values");
  require(std::uint8_t(bytes[3]) == array.dims.size(), "dimension count is not byte 3");
  for (std::size_t i = 0; i < array.dims.size(); ++i) {
    const auto* b = reinterpret_cast<const std::uint8_t*>(bytes.data()) + 4 + 4 * i;
    require(array.dims[i] == (std::uint32_t(b[0]) << 24 | std::uint32_t(b[1]) << 16 |
                              std::uint32_t(b[2]) << 8 | std::uint32_t(b[3])),
            "a dimension other than the header's");
  }
  require(bytes.substr(header) ==
              std::string_view(reinterpret_cast<const char*>(array.values.data()), count),
          "values other than the file's bytes");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fuzz::MemoryFile memory;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const std::optional<data::IdxArray> read_as_is = read(memory, bytes);
  if (read_as_is) check_consistent(*read_as_is, bytes, !is_gzip(bytes));

  if (is_gzip(bytes)) {
    const std::optional<std::string> inflated = gunzip(bytes);
    if (!inflated || inflated->size() > kMaxInflated || is_gzip(*inflated)) return 0;
    const std::optional<data::IdxArray> reference = read(memory, *inflated);
    require(read_as_is.has_value() == reference.has_value(),
            read_as_is ? "a gzip file read, though its contents are not a valid IDX file"
                       : "a gzip file refused, though its contents are a valid IDX file");
    if (reference) require(same(*read_as_is, *reference), "gzip and raw read differently");
    return 0;
  }
  const std::optional<data::IdxArray> compressed = read(memory, gzip(bytes, size / 3));
  require(read_as_is.has_value() == compressed.has_value(),
          read_as_is ? "the gzip of a valid IDX file refused" : "the gzip of a bad IDX file read");
  if (read_as_is) require(same(*read_as_is, *compressed), "gzip and raw read differently");
  return 0;
}
