#pragma once
// Inflating a gzip file piece by piece, for the loaders in src/data only. Each read inflates into
// the caller's buffer and never past its end, so how much a file inflates to is the caller's to
// bound: a stream that inflates far beyond what its contents claim (a gzip bomb) costs no more
// memory than the claim. Concatenated gzip members are read as one stream, as gzip -d does.

#include <zlib.h>

#include <cstdint>
#include <vector>

#include "input_file.hpp"

namespace scratchnet::data::detail {

/// The inflated contents of a gzip file, read from its start.
class GzipReader {
 public:
  /// Reads `file`, which must be at its first byte and outlive the reader.
  explicit GzipReader(InputFile& file);
  ~GzipReader();
  // zlib's state points back at the z_stream, so the reader stays where it was made.
  GzipReader(const GzipReader&) = delete;
  GzipReader& operator=(const GzipReader&) = delete;

  /// Inflates up to `bytes` bytes into `out`; fewer only at the end of the stream. Throws
  /// DataError "PATH: corrupt gzip stream: <zlib's reason>", "PATH: truncated gzip stream: ..."
  /// or "PATH: unexpected bytes after the gzip stream".
  std::size_t read(std::uint8_t* out, std::size_t bytes);

 private:
  InputFile& file_;
  z_stream stream_{};
  std::vector<unsigned char> input_;
  bool member_ended_ = false;  // a member ended at its trailer; more input starts another
  bool finished_ = false;      // the file ended right after a member
  bool later_member_ = false;  // reading a member after the first
};

}  // namespace scratchnet::data::detail
