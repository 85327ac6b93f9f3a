#pragma once
// The safetensors file format (https://github.com/huggingface/safetensors), as PyTorch's
// safetensors.torch.save_file writes it and load_file reads it:
//   8 bytes   N, the header's length, an unsigned 64-bit little-endian integer
//   N bytes   the header: a UTF-8 JSON object, padded with spaces (0x20) to a multiple of 8
//               {"__metadata__": {"format": "pt", …},                  (optional, strings only)
//                "0.weight": {"dtype": "F32", "shape": [4, 3], "data_offsets": [0, 48]}, …}
//   the rest  the data buffer: each tensor's values row-major and little-endian, at
//             [begin, end) of its data_offsets, counted from the buffer's first byte
// The tensors tile the data buffer exactly: sorted by begin, the first starts at 0, each starts
// where the one before it ended, the last ends at the end of the file. Reading checks all of
// this, and more (see read_safetensors), before it trusts a single number of the header, so a
// damaged or hostile file gives one line naming the tensor and the field, never a crash or a
// huge allocation.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "scratchnet/text/one_line.hpp"

namespace scratchnet::io {

/// A file whose contents break its format; what() is one line, "PATH: problem", naming the
/// tensor and field at fault. The message is passed through on_one_line as it is made, so text
/// quoted from a file (a NUL, an escape sequence) can neither cut it short nor reach a terminal.
class FormatError : public std::runtime_error {
 public:
  explicit FormatError(const std::string& message) : std::runtime_error(on_one_line(message)) {}
};

/// The element types of the safetensors format, named as the header writes them.
enum class Dtype {
  BOOL,
  U8,
  I8,
  F8_E5M2,
  F8_E4M3,
  I16,
  U16,
  F16,
  BF16,
  I32,
  U32,
  F32,
  F64,
  I64,
  U64
};

/// The header's name of `dtype` ("F32").
std::string_view dtype_name(Dtype dtype);

/// The dtype the header names `name`, or nullopt for a name the format does not have.
std::optional<Dtype> parse_dtype(std::string_view name);

/// Bytes per element of `dtype` (F32: 4).
std::size_t dtype_size(Dtype dtype);

/// One tensor of a file: its name, element type, row-major shape and raw little-endian bytes.
struct TensorRecord {
  std::string name;
  Dtype dtype = Dtype::F32;
  std::vector<std::int64_t> shape;  // [] is a scalar (one element)
  std::vector<std::byte> data;      // product(shape) · dtype_size(dtype) bytes
};

/// A whole file: its __metadata__ and its tensors, in the order their data lies in the file.
struct SafetensorsFile {
  std::map<std::string, std::string> metadata;
  std::vector<TensorRecord> tensors;

  /// The tensor named `name`, or nullptr. A linear search: use TensorsByName for many lookups.
  const TensorRecord* find(std::string_view name) const;
};

/// The tensors of a list by name, for looking up many of them in O(log n) each. It points into
/// the list, which must outlive it and not change while it is used.
class TensorsByName {
 public:
  explicit TensorsByName(const std::vector<TensorRecord>& tensors);

  /// The tensor named `name`, or nullptr.
  const TensorRecord* find(std::string_view name) const;

 private:
  std::vector<const TensorRecord*> sorted_;  // by name
};

/// The number of elements of a tensor of `shape` (1 for []).
std::int64_t element_count(const std::vector<std::int64_t>& shape);

/// Reads and checks the safetensors file at `path`. Throws std::runtime_error "PATH: cannot
/// read: REASON" when the file cannot be read, and FormatError when it is shorter than 8 bytes;
/// its header length runs past the end of the file or is over 100,000,000 bytes; the header is
/// not UTF-8, not JSON, or not an object (a header length past the end that is implausible, or
/// a header not starting with '{', says "PATH: not a safetensors file (…)": another kind of
/// file, such as a CSV file given as a model); __metadata__ is not a flat map of strings; a key
/// repeats; a tensor's entry lacks a field or has an unknown one; a dtype is unknown; a shape is
/// not a list of non-negative integers or its size overflows; data_offsets are not two
/// non-negative integers with begin <= end inside the data buffer, or disagree with the shape's
/// size; the tensors overlap, leave a gap, or end before the file does. What it allocates is
/// bounded by the file's real size (the header, what parsing it keeps, each tensor's data once
/// its offsets are known to lie in the file), never by a length or shape the header claims.
/// The number of tensors is bounded by the header's size: an entry takes at least 49 bytes of
/// JSON, so a header within the limit holds at most about 2 million. Reading takes time
/// O(n log n) in the header's size (repeated names are found through a sorted set).
SafetensorsFile read_safetensors(const std::string& path);

/// The bytes of a safetensors file holding `tensors`, laid out back to back in the order given,
/// and `metadata` as __metadata__ (left out when empty), the header padded with spaces to a
/// multiple of 8 bytes. Throws std::invalid_argument when a tensor's data disagrees with its
/// shape, a name repeats or is "__metadata__", or a shape has a negative dimension.
std::string encode_safetensors(const std::vector<TensorRecord>& tensors,
                               const std::map<std::string, std::string>& metadata);

/// A tensor named `name` of `shape` holding `values` row-major: dtype F32 for float, F64 for
/// double. Throws std::invalid_argument when the shape does not hold values.size() elements.
template <typename T>
TensorRecord make_tensor(std::string name, std::vector<std::int64_t> shape,
                         std::span<const T> values);

/// The values of an F32 or F64 tensor as T (an F64 tensor read as float is rounded to nearest).
/// Throws std::invalid_argument for any other dtype, or data that disagrees with the shape.
template <typename T>
std::vector<T> tensor_values(const TensorRecord& tensor);

/// A shape as text, "[3, 4]" ("[]" for a scalar); long shapes are cut after 16 dimensions.
std::string shape_text(std::span<const std::int64_t> shape);

}  // namespace scratchnet::io
