#include "scratchnet/files/folder_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <string>

namespace scratchnet::files {
namespace {

// The pid a holder wrote into the lock file, as text ("" when there is none yet).
std::string holder_of(int descriptor) {
  char text[24] = {};
  const ssize_t size = ::pread(descriptor, text, sizeof text - 1, 0);
  std::string pid;
  for (ssize_t i = 0; i < size && text[i] >= '0' && text[i] <= '9'; ++i)
    pid += text[i];
  return pid;
}

}  // namespace

FolderLock::FolderLock(const std::string& folder) : folder_(folder) {
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  if (error) throw std::runtime_error(folder + ": cannot create the folder: " + error.message());
  const std::string path = (std::filesystem::path(folder) / kFolderLockName).string();
  // O_NOFOLLOW: a symbolic link planted in the folder must not make us truncate its target.
  descriptor_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (descriptor_ < 0) {
    throw std::runtime_error(path + ": cannot open the lock file: " + std::strerror(errno));
  }
  struct stat status {};
  if (::fstat(descriptor_, &status) != 0 || !S_ISREG(status.st_mode)) {
    ::close(descriptor_);
    throw std::runtime_error(path + ": cannot lock the folder: not a regular file");
  }
  if (::flock(descriptor_, LOCK_EX | LOCK_NB) != 0) {
    const int reason = errno;
    const std::string pid = holder_of(descriptor_);
    ::close(descriptor_);
    if (reason == EWOULDBLOCK) {
      throw std::runtime_error(folder + ": another scratchnet run " +
                               (pid.empty() ? "" : "(pid " + pid + ") ") + "is using this folder");
    }
    throw std::runtime_error(path + ": cannot lock the folder: " + std::strerror(reason));
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  // The pid is only for messages: a failure to write it does not weaken the lock.
  if (::ftruncate(descriptor_, 0) == 0) {
    [[maybe_unused]] const ssize_t written = ::pwrite(descriptor_, pid.data(), pid.size(), 0);
  }
}

FolderLock::~FolderLock() {
  // Closing the only descriptor of the open file releases the flock.
  if (descriptor_ >= 0) ::close(descriptor_);
}

}  // namespace scratchnet::files
