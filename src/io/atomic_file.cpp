#include "scratchnet/io/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace scratchnet::io {
namespace {

[[noreturn]] void fail(const std::string& path, int error) {
  throw std::runtime_error(path + ": cannot write: " + std::generic_category().message(error));
}

// Writes all of `bytes` to `fd`; 0, or the errno of the write that failed.
int write_all(int fd, std::string_view bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd, bytes.data(), bytes.size());
    if (written < 0 && errno == EINTR) continue;
    if (written < 0) return errno;
    bytes.remove_prefix(std::size_t(written));
  }
  return 0;
}

// Every temporary this process makes has its own name, even from two threads at once.
std::atomic<unsigned> temporary_count{0};

}  // namespace

void write_file_atomically(const std::string& path, std::string_view bytes) {
  const std::filesystem::path target(path);
  const std::string name = target.filename().string();
  if (name.empty() || name == "." || name == "..") fail(path, EISDIR);
  const std::filesystem::path folder =
      target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  const std::string temporary = (folder / ("." + name + ".tmp-" + std::to_string(::getpid()) + "-" +
                                           std::to_string(temporary_count++)))
                                    .string();

  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) fail(path, errno);  // nothing was created
  int error = write_all(fd, bytes);
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error == 0 && ::rename(temporary.c_str(), path.c_str()) != 0) error = errno;
  if (error != 0) {
    ::unlink(temporary.c_str());
    fail(path, error);
  }

  // The rename is durable only once the folder's entry is on disk. Some file systems cannot
  // fsync a folder (EINVAL); there the rename is as durable as they make it.
  const int folder_fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (folder_fd < 0) fail(path, errno);
  error = ::fsync(folder_fd) != 0 && errno != EINVAL ? errno : 0;
  ::close(folder_fd);
  if (error != 0) fail(path, error);
}

int remove_stale_temporaries(const std::string& folder) {
  std::error_code error;
  int removed = 0;
  for (std::filesystem::directory_iterator entry(folder, error), end; !error && entry != end;
       entry.increment(error)) {
    // ".NAME.tmp-PID-N": the PID is between the last ".tmp-" and the last "-".
    const std::string name = entry->path().filename().string();
    const std::size_t marker = name.rfind(".tmp-");
    const std::size_t dash = name.rfind('-');
    if (name.empty() || name[0] != '.' || marker == std::string::npos || dash <= marker + 5) {
      continue;
    }
    const std::string pid_text = name.substr(marker + 5, dash - marker - 5);
    const std::string count_text = name.substr(dash + 1);
    const auto digits = [](const std::string& text) {
      return !text.empty() && text.size() < 10 &&
             std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
    };
    if (!digits(pid_text) || !digits(count_text)) continue;
    const auto pid = ::pid_t(std::stol(pid_text));
    if (pid <= 0 || ::kill(pid, 0) == 0 || errno != ESRCH) continue;  // alive, or not ours to know
    std::error_code remove_error;
    if (std::filesystem::remove(entry->path(), remove_error)) ++removed;
  }
  return removed;
}

}  // namespace scratchnet::io
