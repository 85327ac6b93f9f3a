#include "scratchnet/files/atomic_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <filesystem>
#include <stdexcept>
#include <system_error>

#include "scratchnet/files/output_path.hpp"

namespace scratchnet::files {
namespace {

// What sets a temporary's name apart from every name a user would choose.
constexpr std::string_view kTemporaryMarker = ".scratchnet-tmp-";

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

// Gives the open temporary `fd` what the file it replaces had: owner and group where the
// process may (root may; others may keep a group they belong to), and the permission bits
// always (set-user-ID and set-group-ID not: a written file is data). 0, or an errno.
int take_over(int fd, const struct stat& old) {
  if (::fchown(fd, old.st_uid, old.st_gid) != 0) {
    [[maybe_unused]] const int ignored = ::fchown(fd, uid_t(-1), old.st_gid);
  }
  return ::fchmod(fd, old.st_mode & 0777) == 0 ? 0 : errno;
}

// Every temporary this process makes has its own name, even from two threads at once.
std::atomic<unsigned> temporary_count{0};

// Whether `text` is 1 to 9 decimal digits (a PID or a count as this file writes them).
bool short_number(std::string_view text) {
  return !text.empty() && text.size() <= 9 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// The PID in a temporary's name ".NAME.scratchnet-tmp-PID-N"; 0 for any other name.
pid_t temporary_owner(std::string_view name) {
  const std::size_t marker = name.rfind(kTemporaryMarker);
  if (name.size() < 2 || name[0] != '.' || marker == std::string_view::npos || marker < 2) return 0;
  const std::string_view numbers = name.substr(marker + kTemporaryMarker.size());
  const std::size_t dash = numbers.find('-');
  if (dash == std::string_view::npos || !short_number(numbers.substr(0, dash)) ||
      !short_number(numbers.substr(dash + 1))) {
    return 0;
  }
  return pid_t(std::stol(std::string(numbers.substr(0, dash))));
}

}  // namespace

void write_file_atomically(const std::string& path, std::string_view bytes) {
  const std::string name = std::filesystem::path(path).filename().string();
  if (name.empty() || name == "." || name == "..") fail(path, EISDIR);
  // The command checked its outputs before its work; checked again here, as a FIFO (say) may
  // have appeared since, and for callers of the library that did not check.
  check_output_file(path);

  struct stat old {};
  const bool replacing = ::stat(path.c_str(), &old) == 0;
  std::filesystem::path target(path);
  std::error_code link_error;
  if (replacing && std::filesystem::is_symlink(target, link_error)) {
    target = std::filesystem::canonical(target, link_error);
    if (link_error) fail(path, link_error.value());
  }
  const std::filesystem::path folder =
      target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
  // Built up piece by piece: GCC 12 warns falsely (-Wrestrict) about "." + a string.
  std::string temporary_name(1, '.');
  temporary_name.append(target.filename().string()).append(kTemporaryMarker);
  temporary_name.append(std::to_string(::getpid())).append("-");
  temporary_name.append(std::to_string(temporary_count++));
  const std::string temporary = (folder / temporary_name).string();

  // A temporary for a file that exists is private until it has that file's mode.
  const int fd =
      ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, replacing ? 0600 : 0666);
  if (fd < 0) fail(path, errno);  // nothing was created
  int error = write_all(fd, bytes);
  if (error == 0 && replacing) error = take_over(fd, old);
  if (error == 0 && ::fsync(fd) != 0) error = errno;
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error == 0 && ::rename(temporary.c_str(), target.c_str()) != 0) error = errno;
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
    const pid_t pid = temporary_owner(entry->path().filename().string());
    if (pid <= 0) continue;      // not a name this file makes: someone else's
    std::error_code kind_error;  // only files are made under that name, never links or folders
    if (entry->is_symlink(kind_error) || !entry->is_regular_file(kind_error)) continue;
    if (::kill(pid, 0) == 0 || errno != ESRCH) continue;  // alive, or not ours to know
    std::error_code remove_error;
    if (std::filesystem::remove(entry->path(), remove_error)) ++removed;
  }
  return removed;
}

}  // namespace scratchnet::files
