#include "scratchnet/io/safetensors.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cstring>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <system_error>
#include <unordered_set>

#include "scratchnet/text/one_line.hpp"
#include "scratchnet/text/utf8.hpp"

namespace scratchnet::io {
namespace {

// The reference implementation refuses larger headers; so do we, before allocating any.
constexpr std::uint64_t kMaxHeaderBytes = 100'000'000;
constexpr std::size_t kMaxShapeDimsShown = 16;

struct DtypeInfo {
  Dtype dtype;
  std::string_view name;
  std::size_t size;
};

constexpr std::array<DtypeInfo, 15> kDtypes = {{
    {Dtype::BOOL, "BOOL", 1},
    {Dtype::U8, "U8", 1},
    {Dtype::I8, "I8", 1},
    {Dtype::F8_E5M2, "F8_E5M2", 1},
    {Dtype::F8_E4M3, "F8_E4M3", 1},
    {Dtype::I16, "I16", 2},
    {Dtype::U16, "U16", 2},
    {Dtype::F16, "F16", 2},
    {Dtype::BF16, "BF16", 2},
    {Dtype::I32, "I32", 4},
    {Dtype::U32, "U32", 4},
    {Dtype::F32, "F32", 4},
    {Dtype::F64, "F64", 8},
    {Dtype::I64, "I64", 8},
    {Dtype::U64, "U64", 8},
}};

const DtypeInfo& info(Dtype dtype) {
  for (const DtypeInfo& entry : kDtypes)
    if (entry.dtype == dtype) return entry;
  throw std::invalid_argument("unknown Dtype value");
}

std::string errno_text(int error) {
  return std::generic_category().message(error);
}

std::string offsets_text(std::uint64_t begin, std::uint64_t end) {
  std::string text = "[";
  text.append(std::to_string(begin)).append(", ").append(std::to_string(end)).append("]");
  return text;
}

// One tensor's entry as the header states it, before its data is read.
struct HeaderEntry {
  std::string name;
  Dtype dtype = Dtype::F32;
  std::vector<std::int64_t> shape;
  std::uint64_t begin = 0, end = 0;
};

using Json = nlohmann::json;

// Walks the header's JSON as it is parsed (nlohmann's SAX interface), so that nothing but the
// entries themselves is kept, every value is checked where it stands, and a repeated key, which
// a DOM parser would silently collapse, is caught. Every problem throws FormatError at once.
class HeaderReader : public nlohmann::json_sax<Json> {
 public:
  HeaderReader(std::string prefix, std::uint64_t data_size)
      : prefix_(std::move(prefix)), data_size_(data_size) {}

  std::map<std::string, std::string> metadata;
  std::vector<HeaderEntry> entries;

  bool null() override { return value("null"); }
  bool boolean(bool value) override { return this->value(value ? "true" : "false"); }
  bool number_integer(number_integer_t value) override {
    return this->value(std::to_string(value));
  }
  bool number_unsigned(number_unsigned_t value) override {
    if (depth_ == 3) {
      numbers_.push_back(value);
      return true;
    }
    return this->value(std::to_string(value));
  }
  bool number_float(number_float_t, const string_t& text) override { return value(text); }
  bool binary(binary_t&) override { return value("binary data"); }

  bool string(string_t& text) override {
    if (depth_ == 2 && in_metadata_) {
      metadata.emplace(key_, text);
      return true;
    }
    if (depth_ == 2 && field_ == "dtype") {
      const auto dtype = parse_dtype(text);
      if (!dtype) fail(entry_where() + "unknown dtype " + in_quotes(text));
      entry_.dtype = *dtype;
      return true;
    }
    return value("a string");
  }

  bool start_object(std::size_t) override {
    if (depth_ == 0) {
      depth_ = 1;
      return true;
    }
    if (depth_ == 1) {
      depth_ = 2;
      entry_ = HeaderEntry();
      entry_.name = entry_name_;
      seen_fields_.clear();
      return true;
    }
    return value("an object");
  }

  bool key(string_t& key) override {
    if (depth_ == 1) {
      if (!top_keys_.insert(key).second) {
        fail(key == "__metadata__" ? "duplicate key '__metadata__'"
                                   : "duplicate tensor name " + in_quotes(key));
      }
      in_metadata_ = key == "__metadata__";
      entry_name_ = key;
      return true;
    }
    if (in_metadata_) {
      if (metadata.count(key)) fail("__metadata__: duplicate key " + in_quotes(key));
      key_ = key;
      return true;
    }
    if (key != "dtype" && key != "shape" && key != "data_offsets") {
      fail(entry_where() + "unknown field " + in_quotes(key) +
           " (a tensor has dtype, shape and data_offsets)");
    }
    if (!seen_fields_.insert(key).second) fail(entry_where() + "duplicate field " + in_quotes(key));
    field_ = key;
    return true;
  }

  bool end_object() override {
    if (depth_ == 2 && !in_metadata_) finish_entry();
    --depth_;
    return true;
  }

  bool start_array(std::size_t) override {
    if (depth_ == 2 && !in_metadata_ && (field_ == "shape" || field_ == "data_offsets")) {
      depth_ = 3;
      numbers_.clear();
      return true;
    }
    return value("a list");
  }

  bool end_array() override {
    depth_ = 2;
    if (field_ == "shape") {
      entry_.shape.clear();
      for (std::uint64_t dimension : numbers_) {
        if (dimension > std::uint64_t(std::numeric_limits<std::int64_t>::max())) {
          fail(entry_where() + "shape dimension " + std::to_string(dimension) + " is too large");
        }
        entry_.shape.push_back(std::int64_t(dimension));
      }
    } else {
      if (numbers_.size() != 2) {
        fail(entry_where() + "data_offsets must be two non-negative integers [begin, end], found " +
             std::to_string(numbers_.size()));
      }
      entry_.begin = numbers_[0];
      entry_.end = numbers_[1];
    }
    return true;
  }

  bool parse_error(std::size_t, const std::string&,
                   const nlohmann::detail::exception& error) override {
    std::string text = error.what();  // "[json.exception.parse_error.101] parse error at …"
    if (const auto space = text.find("] "); text.starts_with("[") && space != std::string::npos) {
      text.erase(0, space + 2);
    }
    fail("header is not valid JSON: " + text);
  }

 private:
  [[noreturn]] void fail(const std::string& problem) const { throw FormatError(prefix_ + problem); }

  std::string entry_where() const { return "tensor " + in_quotes(entry_name_) + ": "; }

  // A value the header's structure does not allow where it stands; `found` describes it.
  bool value(const std::string& found) {
    if (depth_ == 0) fail("header is not a JSON object");
    if (depth_ == 1) {
      if (in_metadata_)
        fail("__metadata__ must be an object mapping names to strings, found " + found);
      fail(entry_where() + "entry must be an object with dtype, shape and data_offsets, found " +
           found);
    }
    if (depth_ == 2 && in_metadata_) {
      fail("__metadata__ must map names to strings, but " + in_quotes(key_) + " holds " + found);
    }
    fail(entry_where() + field_ + " must be " + expected(field_) + ", found " + found);
  }

  static std::string expected(const std::string& field) {
    if (field == "dtype") return "a string such as \"F32\"";
    if (field == "shape") return "a list of non-negative integers";
    return "two non-negative integers [begin, end]";
  }

  // Every field present; the shape's byte size agrees with the offsets, inside the buffer.
  void finish_entry() {
    for (const char* field : {"dtype", "shape", "data_offsets"})
      if (!seen_fields_.count(field)) fail(entry_where() + "missing field '" + field + "'");
    const std::string shape = shape_text(entry_.shape);
    std::uint64_t count = 1;
    for (std::int64_t dimension : entry_.shape) {
      if (__builtin_mul_overflow(count, std::uint64_t(dimension), &count)) {
        fail(entry_where() + "shape " + shape + " has more elements than 64 bits can count");
      }
    }
    const DtypeInfo& type = info(entry_.dtype);
    std::uint64_t bytes = 0;
    if (__builtin_mul_overflow(count, std::uint64_t(type.size), &bytes)) {
      fail(entry_where() + "shape " + shape + " holds more " + std::string(type.name) +
           " bytes than 64 bits can count");
    }
    const std::string offsets = offsets_text(entry_.begin, entry_.end);
    if (entry_.begin > entry_.end)
      fail(entry_where() + "data_offsets " + offsets + " end before they begin");
    if (entry_.end - entry_.begin != bytes) {
      fail(entry_where() + "shape " + shape + " holds " + std::to_string(count) + " " +
           std::string(type.name) + " values = " + std::to_string(bytes) +
           " bytes but data_offsets span " + std::to_string(entry_.end - entry_.begin));
    }
    if (entry_.end > data_size_) {
      fail(entry_where() + "data_offsets " + offsets + " run past the end of the " +
           std::to_string(data_size_) + "-byte data buffer");
    }
    entries.push_back(std::move(entry_));
  }

  std::string prefix_;  // "PATH: "
  std::uint64_t data_size_;
  int depth_ = 0;  // 1 in the header object, 2 in an entry, 3 in a shape or data_offsets list
  bool in_metadata_ = false;
  std::set<std::string> top_keys_;
  std::string entry_name_;  // the depth-1 key whose value is being read
  std::string key_;         // the __metadata__ key whose value is being read
  std::string field_;       // the entry's field whose value is being read
  std::set<std::string> seen_fields_;
  HeaderEntry entry_;
  std::vector<std::uint64_t> numbers_;
};

// An open file descriptor, closed when it goes out of scope.
class Descriptor {
 public:
  explicit Descriptor(int fd) : fd_(fd) {}
  Descriptor(const Descriptor&) = delete;
  Descriptor& operator=(const Descriptor&) = delete;
  ~Descriptor() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

// Reads exactly `size` bytes into `out`; false when the file ends first.
bool read_exactly(int fd, void* out, std::size_t size, const std::string& path) {
  auto* cursor = static_cast<char*>(out);
  while (size > 0) {
    const ssize_t got = ::read(fd, cursor, size);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) throw std::runtime_error(path + ": cannot read: " + errno_text(errno));
    if (got == 0) return false;
    cursor += got;
    size -= std::size_t(got);
  }
  return true;
}

// The tensors, sorted by where their data lies, must tile the data buffer with no gap, no
// overlap and nothing after the last one.
void check_tiling(std::vector<HeaderEntry>& entries, std::uint64_t data_size,
                  const std::string& prefix) {
  std::stable_sort(entries.begin(), entries.end(), [](const HeaderEntry& a, const HeaderEntry& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end < b.end;
  });
  std::uint64_t expected = 0;
  const HeaderEntry* previous = nullptr;
  for (const HeaderEntry& entry : entries) {
    const std::string where = "tensor " + in_quotes(entry.name) + ": data_offsets " +
                              offsets_text(entry.begin, entry.end);
    if (entry.begin != expected && !previous) {
      throw FormatError(prefix + where + " leave a gap: the data buffer starts at 0");
    }
    if (entry.begin > expected) {
      throw FormatError(prefix + where + " leave a gap after tensor " + in_quotes(previous->name) +
                        ", which ends at " + std::to_string(expected));
    }
    if (entry.begin < expected) {
      throw FormatError(prefix + where + " overlap tensor " + in_quotes(previous->name) +
                        ", which ends at " + std::to_string(expected));
    }
    expected = entry.end;
    previous = &entry;
  }
  if (expected != data_size) {
    throw FormatError(prefix + "the data buffer holds " + std::to_string(data_size) +
                      " bytes but the tensors end at " + std::to_string(expected) +
                      " (trailing bytes)");
  }
}

template <typename Bits>
void append_little_endian(std::vector<std::byte>& out, Bits bits) {
  for (std::size_t i = 0; i < sizeof(Bits); ++i)
    out.push_back(std::byte((bits >> (8 * i)) & 0xff));
}

template <typename Bits>
Bits read_little_endian(const std::byte* in) {
  Bits bits = 0;
  for (std::size_t i = 0; i < sizeof(Bits); ++i)
    bits |= Bits(std::to_integer<unsigned>(in[i])) << (8 * i);
  return bits;
}

}  // namespace

std::string_view dtype_name(Dtype dtype) {
  return info(dtype).name;
}

std::optional<Dtype> parse_dtype(std::string_view name) {
  for (const DtypeInfo& entry : kDtypes)
    if (entry.name == name) return entry.dtype;
  return std::nullopt;
}

std::size_t dtype_size(Dtype dtype) {
  return info(dtype).size;
}

const TensorRecord* SafetensorsFile::find(std::string_view name) const {
  for (const TensorRecord& tensor : tensors)
    if (tensor.name == name) return &tensor;
  return nullptr;
}

TensorsByName::TensorsByName(const std::vector<TensorRecord>& tensors) {
  sorted_.reserve(tensors.size());
  for (const TensorRecord& tensor : tensors)
    sorted_.push_back(&tensor);
  std::sort(sorted_.begin(), sorted_.end(),
            [](const TensorRecord* a, const TensorRecord* b) { return a->name < b->name; });
}

const TensorRecord* TensorsByName::find(std::string_view name) const {
  const auto found = std::lower_bound(
      sorted_.begin(), sorted_.end(), name,
      [](const TensorRecord* tensor, std::string_view key) { return tensor->name < key; });
  return found != sorted_.end() && (*found)->name == name ? *found : nullptr;
}

std::int64_t element_count(const std::vector<std::int64_t>& shape) {
  for (std::int64_t dimension : shape) {
    if (dimension < 0) throw std::invalid_argument("shape " + shape_text(shape) + " is negative");
  }
  // A 0 anywhere makes no elements, however large the dimensions before it: read_safetensors
  // accepts [2^62, 2, 0], as the reference reader does.
  if (std::find(shape.begin(), shape.end(), 0) != shape.end()) return 0;
  std::int64_t count = 1;
  for (std::int64_t dimension : shape) {
    if (__builtin_mul_overflow(count, dimension, &count)) {
      throw std::invalid_argument("shape " + shape_text(shape) + " is too large");
    }
  }
  return count;
}

std::string shape_text(std::span<const std::int64_t> shape) {
  std::string text = "[";
  for (std::size_t i = 0; i < shape.size(); ++i) {
    if (i == kMaxShapeDimsShown) {
      text += ", … (" + std::to_string(shape.size()) + " dimensions)";
      break;
    }
    text += (i ? ", " : "") + std::to_string(shape[i]);
  }
  return text + "]";
}

namespace {

// The message for a file that is no safetensors file at all, with the detail that shows it.
std::string not_safetensors(const std::string& detail) {
  return "not a safetensors file (" + detail + ")";
}

}  // namespace

SafetensorsFile read_safetensors(const std::string& path) {
  const std::string prefix = path + ": ";
  Descriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (file.get() < 0) throw std::runtime_error(prefix + "cannot read: " + errno_text(errno));
  struct stat status {};
  if (::fstat(file.get(), &status) != 0) {
    throw std::runtime_error(prefix + "cannot read: " + errno_text(errno));
  }
  if (S_ISDIR(status.st_mode))
    throw std::runtime_error(prefix + "cannot read: " + errno_text(EISDIR));
  if (!S_ISREG(status.st_mode))
    throw std::runtime_error(prefix + "cannot read: not a regular file");
  const auto file_size = std::uint64_t(status.st_size);

  // The file's real size bounds every allocation below: the header length is checked against
  // it before the header is read, and every tensor's offsets before its data is.
  if (file_size < 8) {
    throw FormatError(prefix + "the file is " + std::to_string(file_size) +
                      " bytes, too short for the 8-byte header length");
  }
  std::array<std::byte, 8> length_bytes{};
  if (!read_exactly(file.get(), length_bytes.data(), 8, path)) {
    throw FormatError(prefix + "the file ended while being read");
  }
  const auto header_size = read_little_endian<std::uint64_t>(length_bytes.data());
  if (header_size > file_size - 8) {
    // A safetensors file cut short has a plausible length and a header that starts with '{';
    // anything else (a CSV file read as a length gives some 10^18 bytes) is another kind of file.
    char first = 0;
    const bool cut_short =
        header_size <= kMaxHeaderBytes && ::pread(file.get(), &first, 1, 8) == 1 && first == '{';
    const std::string problem = "header length " + std::to_string(header_size) +
                                " runs past the end of the " + std::to_string(file_size) +
                                "-byte file";
    throw FormatError(prefix + (cut_short ? problem : not_safetensors(problem)));
  }
  if (header_size > kMaxHeaderBytes) {
    throw FormatError(prefix + "header length " + std::to_string(header_size) +
                      " is over the limit of " + std::to_string(kMaxHeaderBytes) + " bytes");
  }
  std::string header(header_size, '\0');
  if (!read_exactly(file.get(), header.data(), header.size(), path)) {
    throw FormatError(prefix + "the file ended while being read");
  }

  if (const auto bad = first_invalid_utf8(header)) {
    throw FormatError(prefix + "header is not valid UTF-8 (at byte " + std::to_string(*bad) +
                      " of the header)");
  }
  if (header.empty() || header.front() != '{') {
    throw FormatError(prefix + not_safetensors("the header after its 8-byte length does not "
                                               "start with '{'"));
  }
  const std::uint64_t data_size = file_size - 8 - header_size;
  HeaderReader reader(prefix, data_size);
  Json::sax_parse(header.data(), header.data() + header.size(), &reader);
  header = std::string();  // free it before reading the data
  check_tiling(reader.entries, data_size, prefix);

  SafetensorsFile result;
  result.metadata = std::move(reader.metadata);
  result.tensors.reserve(reader.entries.size());
  for (HeaderEntry& entry : reader.entries) {
    TensorRecord& tensor = result.tensors.emplace_back();
    tensor.name = std::move(entry.name);
    tensor.dtype = entry.dtype;
    tensor.shape = std::move(entry.shape);
    tensor.data.resize(entry.end - entry.begin);
    if (!read_exactly(file.get(), tensor.data.data(), tensor.data.size(), path)) {
      throw FormatError(prefix + "the file ended while being read");
    }
  }
  return result;
}

std::string encode_safetensors(const std::vector<TensorRecord>& tensors,
                               const std::map<std::string, std::string>& metadata) {
  // The header's JSON is written entry by entry, in the order given: an ordered_json object
  // looks every key up by a linear search, which made writing n tensors take time n².
  std::string text = "{";
  const auto json_string = [](const std::string& name) {
    try {
      return Json(name).dump();
    } catch (const nlohmann::json::exception&) {
      throw std::invalid_argument("a tensor name or metadata text is not valid UTF-8");
    }
  };
  if (!metadata.empty()) {
    text += "\"__metadata__\":";
    try {
      text += Json(metadata).dump();
    } catch (const nlohmann::json::exception&) {
      throw std::invalid_argument("a tensor name or metadata text is not valid UTF-8");
    }
  }
  std::unordered_set<std::string_view> names;
  names.reserve(tensors.size());
  std::uint64_t offset = 0;
  for (const TensorRecord& tensor : tensors) {
    if (tensor.name == "__metadata__") {
      throw std::invalid_argument("a tensor cannot be named '__metadata__'");
    }
    if (!names.insert(tensor.name).second) {
      throw std::invalid_argument("duplicate tensor name " + in_quotes(tensor.name));
    }
    const std::int64_t count = element_count(tensor.shape);
    const auto bytes = std::uint64_t(count) * dtype_size(tensor.dtype);
    if (bytes != tensor.data.size()) {
      throw std::invalid_argument("tensor " + in_quotes(tensor.name) + ": shape " +
                                  shape_text(tensor.shape) + " holds " + std::to_string(bytes) +
                                  " bytes of " + std::string(dtype_name(tensor.dtype)) +
                                  " but the data has " + std::to_string(tensor.data.size()));
    }
    if (text.size() > 1) text += ',';
    text += json_string(tensor.name);
    text.append(":{\"dtype\":\"").append(dtype_name(tensor.dtype));
    text.append("\",\"shape\":").append(Json(tensor.shape).dump());
    text.append(",\"data_offsets\":[").append(std::to_string(offset)).append(",");
    text.append(std::to_string(offset + bytes)).append("]}");
    offset += bytes;
  }
  text += "}";
  text.append((8 - text.size() % 8) % 8, ' ');  // the reference writer's 8-byte alignment

  std::vector<std::byte> length;
  append_little_endian(length, std::uint64_t(text.size()));
  std::string bytes;
  bytes.reserve(8 + text.size() + offset);
  bytes.append(reinterpret_cast<const char*>(length.data()), length.size());
  bytes += text;
  for (const TensorRecord& tensor : tensors)
    bytes.append(reinterpret_cast<const char*>(tensor.data.data()), tensor.data.size());
  return bytes;
}

template <typename T>
TensorRecord make_tensor(std::string name, std::vector<std::int64_t> shape,
                         std::span<const T> values) {
  if (element_count(shape) != std::int64_t(values.size())) {
    throw std::invalid_argument("tensor " + in_quotes(name) + ": shape " + shape_text(shape) +
                                " does not hold " + std::to_string(values.size()) + " values");
  }
  using Bits = std::conditional_t<sizeof(T) == 4, std::uint32_t, std::uint64_t>;
  TensorRecord tensor{
      std::move(name), sizeof(T) == 4 ? Dtype::F32 : Dtype::F64, std::move(shape), {}};
  tensor.data.reserve(values.size() * sizeof(T));
  for (T value : values)
    append_little_endian(tensor.data, std::bit_cast<Bits>(value));
  return tensor;
}

template <typename T>
std::vector<T> tensor_values(const TensorRecord& tensor) {
  if (tensor.dtype != Dtype::F32 && tensor.dtype != Dtype::F64) {
    throw std::invalid_argument("tensor " + in_quotes(tensor.name) + " has dtype " +
                                std::string(dtype_name(tensor.dtype)) +
                                "; only F32 and F64 convert to numbers");
  }
  const std::size_t size = dtype_size(tensor.dtype);
  const auto count = std::size_t(element_count(tensor.shape));
  if (tensor.data.size() != count * size) {
    throw std::invalid_argument("tensor " + in_quotes(tensor.name) + ": shape " +
                                shape_text(tensor.shape) + " disagrees with its " +
                                std::to_string(tensor.data.size()) + " bytes");
  }
  std::vector<T> values(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::byte* at = tensor.data.data() + i * size;
    values[i] = size == 4 ? T(std::bit_cast<float>(read_little_endian<std::uint32_t>(at)))
                          : T(std::bit_cast<double>(read_little_endian<std::uint64_t>(at)));
  }
  return values;
}

template TensorRecord make_tensor<float>(std::string, std::vector<std::int64_t>,
                                         std::span<const float>);
template TensorRecord make_tensor<double>(std::string, std::vector<std::int64_t>,
                                          std::span<const double>);
template std::vector<float> tensor_values<float>(const TensorRecord&);
template std::vector<double> tensor_values<double>(const TensorRecord&);

}  // namespace scratchnet::io
