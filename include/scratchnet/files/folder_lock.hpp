#pragma once
// One run at a time in a folder. A training run holds the lock on its checkpoint folder for its
// whole life, so that two runs pointed at one folder never write into each other's files: the
// second is refused before it does any work.

#include <string>

namespace scratchnet::files {

/// The lock file a FolderLock keeps inside its folder (left in place when the lock is released).
inline constexpr const char* kFolderLockName = ".scratchnet-lock";

/// An exclusive claim on a folder from construction to destruction: flock(2) on
/// FOLDER/.scratchnet-lock, which the kernel drops when the process ends however it ends (kill -9
/// included), so a lock is never left stale. The holder's pid is written into the file for the
/// message another process gets.
class FolderLock {
 public:
  /// Creates `folder` (and its parents) if needed and takes the lock without waiting. Throws
  /// std::runtime_error "FOLDER: another scratchnet run (pid N) is using this folder" when another
  /// holder has it (another process, or another FolderLock of this one), and "FOLDER: cannot …"
  /// when the folder or its lock file cannot be made or is not a regular file.
  explicit FolderLock(const std::string& folder);
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

  /// The folder as it was given.
  const std::string& folder() const { return folder_; }

 private:
  std::string folder_;
  int descriptor_ = -1;
};

}  // namespace scratchnet::files
