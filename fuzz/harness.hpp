#pragma once
// What the harnesses share. MemoryFile: a file in memory (memfd_create), for code that takes a
// path: each input is written to it and the readers open it by its /proc/self/fd path, as any file,
// without a disk write per execution.

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace scratchnet::fuzz {

class MemoryFile {
 public:
  MemoryFile() : fd_(::memfd_create("scratchnet-fuzz", MFD_CLOEXEC)) {
    if (fd_ < 0) std::abort();
    path_ = "/proc/self/fd/" + std::to_string(fd_);
  }
  ~MemoryFile() { ::close(fd_); }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;

  /// Replaces the file's contents with `bytes` and returns its path.
  const std::string& write(std::string_view bytes) {
    if (::ftruncate(fd_, 0) != 0) std::abort();
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t wrote = ::pwrite(fd_, bytes.data() + done, bytes.size() - done, off_t(done));
      if (wrote <= 0) std::abort();
      done += std::size_t(wrote);
    }
    return path_;
  }

  const std::string& path() const { return path_; }

 private:
  int fd_;
  std::string path_;
};

/// Stops the run with `what` on standard error: a property of the code under test failed.
[[noreturn]] inline void property_failed(const std::string& what) {
  std::fprintf(stderr, "property failed: %s\n", what.c_str());
  std::abort();
}

inline void require(bool holds, const std::string& what) {
  if (!holds) property_failed(what);
}

/// Whether `text` is a single line (no line break), as every error message must be.
inline bool one_line(std::string_view text) {
  return text.find_first_of("\r\n") == std::string_view::npos;
}

}  // namespace scratchnet::fuzz
