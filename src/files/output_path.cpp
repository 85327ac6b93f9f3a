#include "scratchnet/files/output_path.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <system_error>

namespace scratchnet::files {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void refuse(const std::string& path, const std::string& reason) {
  throw std::runtime_error(path + ": cannot write: " + reason);
}

std::string error_text(int error) {
  return std::generic_category().message(error);
}

// What is at a path, in words.
std::string kind_of(mode_t mode) {
  if (S_ISREG(mode)) return "a regular file";
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  return "a special file";
}

// The folder in which a new entry `path` would be made.
std::string folder_of(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? "." : parent.string();
}

// Refuses `path` unless the process may make and rename entries in `folder`, as replacing a
// file atomically does (a temporary beside it, renamed over it).
void check_writable_folder(const std::string& path, const std::string& folder) {
  struct stat info {};
  if (::stat(folder.c_str(), &info) != 0) refuse(path, error_text(errno));
  if (!S_ISDIR(info.st_mode)) refuse(path, error_text(ENOTDIR));
  if (::faccessat(AT_FDCWD, folder.c_str(), W_OK | X_OK, AT_EACCESS) != 0) {
    refuse(path, error_text(errno));
  }
}

// What `path` is after following links (stat), refusing a link that leads nowhere or a path
// that cannot be looked at. False when nothing is there at all.
bool look_at(const std::string& path, struct stat& info) {
  struct stat link {};
  if (::lstat(path.c_str(), &link) != 0) {
    if (errno == ENOENT) return false;
    refuse(path, error_text(errno));  // a file where a folder should be, no permission, ...
  }
  if (::stat(path.c_str(), &info) != 0) {
    if (S_ISLNK(link.st_mode) && errno == ENOENT) refuse(path, "a symbolic link to nothing");
    refuse(path, error_text(errno));  // a loop of links, say
  }
  return true;
}

// One file, as the file system tells them apart: device and inode for a file that exists, else
// the absolute path with every link in its existing part resolved.
struct FileIdentity {
  bool exists = false;
  dev_t device = 0;
  ino_t inode = 0;
  std::string resolved;

  bool operator==(const FileIdentity&) const = default;
};

FileIdentity identity_of(const std::string& path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) == 0) return {true, info.st_dev, info.st_ino, ""};
  std::error_code error;
  const fs::path absolute = fs::absolute(path, error).lexically_normal();
  const fs::path resolved = fs::weakly_canonical(absolute, error);
  return {false, 0, 0, error ? absolute.string() : resolved.string()};
}

}  // namespace

void check_output_file(const std::string& path) {
  struct stat info {};
  if (!look_at(path, info)) return check_writable_folder(path, folder_of(path));
  if (!S_ISREG(info.st_mode)) refuse(path, kind_of(info.st_mode) + ", not a regular file");
  if ((info.st_mode & 0222) == 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", unsigned(info.st_mode & 07777));
    refuse(path, std::string("read-only (mode ") + mode + ")");
  }
  if (::faccessat(AT_FDCWD, path.c_str(), W_OK, AT_EACCESS) != 0) refuse(path, error_text(errno));
  // The new file is made beside the one a link leads to, so that folder must be writable.
  std::error_code error;
  const fs::path target = fs::canonical(path, error);
  check_writable_folder(path, folder_of(error ? path : target.string()));
}

void check_output_folder(const std::string& path) {
  // The folders that do not exist yet are made; the nearest one that does must take them.
  std::string existing = path;
  struct stat info {};
  while (!look_at(existing, info)) {
    const std::string parent = folder_of(existing);
    if (parent == existing) refuse(path, error_text(ENOENT));
    existing = parent;
  }
  if (!S_ISDIR(info.st_mode)) {
    refuse(path, existing == path ? kind_of(info.st_mode) + ", not a folder" : error_text(ENOTDIR));
  }
  if (::faccessat(AT_FDCWD, existing.c_str(), W_OK | X_OK, AT_EACCESS) != 0) {
    refuse(path, error_text(errno));
  }
}

std::optional<SameFile> find_same_file(const std::vector<NamedPath>& inputs,
                                       const std::vector<NamedPath>& outputs) {
  std::vector<std::pair<NamedPath, FileIdentity>> existing_inputs;
  for (const NamedPath& input : inputs) {
    if (input.path.empty()) continue;
    const FileIdentity identity = identity_of(input.path);
    if (identity.exists) existing_inputs.emplace_back(input, identity);
  }
  std::vector<std::pair<NamedPath, FileIdentity>> earlier_outputs;
  for (const NamedPath& output : outputs) {
    if (output.path.empty()) continue;
    const FileIdentity identity = identity_of(output.path);
    for (const auto& [input, input_identity] : existing_inputs) {
      if (input_identity == identity) return SameFile{output, input};
    }
    for (const auto& [earlier, earlier_identity] : earlier_outputs) {
      if (earlier_identity == identity) return SameFile{output, earlier};
    }
    earlier_outputs.emplace_back(output, identity);
  }
  return std::nullopt;
}

}  // namespace scratchnet::files
