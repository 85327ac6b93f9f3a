#pragma once
// Opening a data file, for the loaders in src/data only: one place that turns a path that cannot
// be read into the same one-line DataError ("PATH: cannot open: No such file or directory"),
// knows the file's size before reading it, and reads it piece by piece.

#include <cstdint>
#include <cstdio>
#include <string>

namespace scratchnet::data::detail {

/// A regular file open for reading, closed when destroyed.
class InputFile {
 public:
  /// Opens `path`; throws DataError "PATH: cannot open: <reason>" when it does not exist, cannot
  /// be read, is a directory or is not a regular file (a pipe has no size to check against).
  explicit InputFile(const std::string& path);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  /// The file's size in bytes when it was opened.
  std::uint64_t size() const { return size_; }
  /// The path it was opened with, for messages.
  const std::string& path() const { return path_; }

  /// Reads up to `bytes` bytes into `out`; fewer only at the end of the file. Throws DataError
  /// on a read error.
  std::size_t read(void* out, std::size_t bytes);

  /// Goes back to the first byte.
  void rewind();

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
  std::uint64_t size_ = 0;
};

}  // namespace scratchnet::data::detail
