#include "scratchnet/data/idx.hpp"

#include <cstdio>
#include <limits>
#include <optional>
#include <utility>

#include "gzip_reader.hpp"
#include "input_file.hpp"

namespace scratchnet::data {
namespace {

constexpr std::uint8_t kUnsignedByte = 0x08;
constexpr std::uint64_t kDeflateMaxRatio = 1032;  // deflate never inflates more than 1032:1

// The file's bytes, from a raw file or inflated from a gzip one.
class Source {
 public:
  explicit Source(detail::InputFile& file) : file_(file) {
    std::uint8_t magic[2] = {0, 0};
    gzip_ = file.read(magic, 2) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    file.rewind();
    if (gzip_) inflated_.emplace(file);
  }

  bool gzip() const { return gzip_; }

  // Up to `bytes` bytes; fewer only at the end.
  std::size_t read(std::uint8_t* out, std::size_t bytes) {
    return gzip_ ? inflated_->read(out, bytes) : file_.read(out, bytes);
  }

 private:
  detail::InputFile& file_;
  bool gzip_ = false;
  std::optional<detail::GzipReader> inflated_;
};

std::string hex(std::uint8_t byte) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%02X", unsigned(byte));
  return text;
}

// The IDX type codes other than unsigned byte, for a message that says which one a file uses.
const char* type_name(std::uint8_t code) {
  switch (code) {
    case 0x09:
      return "signed byte";
    case 0x0B:
      return "16-bit integer";
    case 0x0C:
      return "32-bit integer";
    case 0x0D:
      return "32-bit float";
    case 0x0E:
      return "64-bit float";
    default:
      return nullptr;
  }
}

// "1 byte", "2 bytes".
std::string bytes(std::uint64_t count) {
  return std::to_string(count) + (count == 1 ? " byte" : " bytes");
}

// What a header claims: "60000 x 28 x 28 = 47040000 values", or "10000 values" for one
// dimension.
std::string claimed(const std::vector<std::uint32_t>& dims, std::uint64_t count) {
  std::string text;
  for (std::size_t i = 0; i < dims.size() && dims.size() > 1; ++i)
    text += std::to_string(dims[i]) + (i + 1 < dims.size() ? " x " : " = ");
  return text + std::to_string(count) + (count == 1 ? " value" : " values");
}

// An IDX header: the dimensions and their product.
struct Header {
  std::vector<std::uint32_t> dims;
  std::uint64_t count = 1;  // values
  std::uint64_t size = 0;   // bytes
};

// Reads and checks the magic number and the dimensions.
Header read_header(Source& source, const std::string& path) {
  const std::string inflated = source.gzip() ? " decompressed" : "";
  std::uint8_t magic[4];
  const std::size_t got = source.read(magic, 4);
  if (got < 4) throw DataError(path, "too short for an IDX header (" + bytes(got) + inflated + ")");
  if (magic[0] != 0 || magic[1] != 0) {
    throw DataError(path, "not an IDX file: it starts with bytes " + hex(magic[0]) + " " +
                              hex(magic[1]) + ", not 0x00 0x00");
  }
  if (magic[2] != kUnsignedByte) {
    if (const char* name = type_name(magic[2])) {
      throw DataError(path, "IDX type " + hex(magic[2]) + " (" + name +
                                ") is not supported; only 0x08 (unsigned byte) is");
    }
    throw DataError(path, "unknown IDX type code " + hex(magic[2]));
  }
  const std::size_t rank = magic[3];
  if (rank == 0) throw DataError(path, "the IDX header declares zero dimensions");

  Header header;
  header.size = 4 + 4 * rank;
  std::uint8_t dim_bytes[4 * 255];
  const std::size_t dims_got = source.read(dim_bytes, 4 * rank);
  if (dims_got < 4 * rank) {
    throw DataError(path, "too short for an IDX header: " + std::to_string(rank) +
                              " dimensions need " + bytes(header.size) + ", it has " +
                              bytes(4 + dims_got) + inflated);
  }
  bool overflow = false;
  for (std::size_t i = 0; i < rank; ++i) {
    const std::uint8_t* b = dim_bytes + 4 * i;  // big-endian
    const std::uint32_t dim = std::uint32_t(b[0]) << 24 | std::uint32_t(b[1]) << 16 |
                              std::uint32_t(b[2]) << 8 | std::uint32_t(b[3]);
    if (dim == 0) {
      throw DataError(
          path, "dimension " + std::to_string(i + 1) + " of " + std::to_string(rank) + " is 0");
    }
    header.dims.push_back(dim);
    overflow = overflow || header.count > std::numeric_limits<std::uint64_t>::max() / dim;
    if (!overflow) header.count *= dim;
  }
  if (overflow) {
    std::string dims;
    for (std::size_t i = 0; i < rank; ++i)
      dims += (i > 0 ? " x " : "") + std::to_string(header.dims[i]);
    throw DataError(path, "the dimensions " + dims + " overflow a 64-bit count of values");
  }
  return header;
}

}  // namespace

IdxArray read_idx(const std::string& path) {
  detail::InputFile file(path);
  Source source(file);
  Header header = read_header(source, path);
  const std::string claim = claimed(header.dims, header.count);

  // Whether the file can hold what the header claims, before anything is allocated for it.
  if (source.gzip()) {
    const std::uint64_t most =
        file.size() > std::numeric_limits<std::uint64_t>::max() / kDeflateMaxRatio
            ? std::numeric_limits<std::uint64_t>::max()
            : file.size() * kDeflateMaxRatio;
    if (header.count > most - header.size) {
      throw DataError(path, "the header claims " + claim + ", more than a gzip file of " +
                                bytes(file.size()) +
                                " can hold (deflate inflates at most 1032 times)");
    }
  } else if (header.count > file.size() - header.size) {
    throw DataError(path, "truncated: the header claims " + claim + ", the file holds " +
                              bytes(file.size() - header.size) + " after the header");
  }

  IdxArray array;
  array.dims = std::move(header.dims);
  array.values.resize(static_cast<std::size_t>(header.count));
  const std::size_t got = source.read(array.values.data(), array.values.size());
  if (got < header.count) {
    throw DataError(path, "truncated: the header claims " + claim + ", the" +
                              (source.gzip() ? " decompressed" : "") + " file holds " + bytes(got) +
                              " after the header");
  }
  std::uint8_t extra = 0;
  if (source.read(&extra, 1) != 0) {
    if (source.gzip()) throw DataError(path, "inflates past the " + claim + " its header claims");
    throw DataError(path, bytes(file.size() - header.size - header.count) + " trailing after the " +
                              claim + " its header claims");
  }
  return array;
}

Shape LabelledImages::sample_shape() const {
  if (image_dims.size() == 2) return {1, image_dims[0], image_dims[1]};
  if (image_dims.empty()) return features;
  return Shape(image_dims);
}

LabelledImages read_idx_pair(const std::string& images_path, const std::string& labels_path) {
  IdxArray images = read_idx(images_path);
  if (images.dims.size() < 2) {
    throw DataError(images_path,
                    "an images file has 2 or more dimensions [count, pixels...], "
                    "this one has 1");
  }
  IdxArray labels = read_idx(labels_path);
  if (labels.dims.size() != 1) {
    throw DataError(labels_path, "a labels file has 1 dimension [count], this one has " +
                                     std::to_string(labels.dims.size()));
  }
  if (images.dims[0] != labels.dims[0]) {
    throw DataError(images_path + ": " + std::to_string(images.dims[0]) + " images, but " +
                    labels_path + " holds " + std::to_string(labels.dims[0]) + " labels");
  }
  LabelledImages pair;
  pair.rows = Index(images.dims[0]);
  pair.features = Index(images.values.size()) / pair.rows;
  pair.image_dims.assign(images.dims.begin() + 1, images.dims.end());
  pair.pixels = std::move(images.values);
  pair.labels = std::move(labels.values);
  return pair;
}

}  // namespace scratchnet::data
