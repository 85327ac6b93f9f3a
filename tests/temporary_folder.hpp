#pragma once
// Files for tests that read and write them: a fresh folder removed with all it holds, and
// whole-file reads and writes of raw bytes.

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace scratchnet::testing {

/// A fresh folder under the system's temporary folder, removed with everything in it (even
/// where a test took its write permission away).
class TemporaryFolder {
 public:
  TemporaryFolder();
  TemporaryFolder(const TemporaryFolder&) = delete;
  TemporaryFolder& operator=(const TemporaryFolder&) = delete;
  ~TemporaryFolder();

  std::string path() const { return path_.string(); }
  /// The path of the file `name` in the folder.
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

/// What `body` throws (its what()), with every "FOLDER/" of `folder` taken out, so that a test
/// can compare messages that name its files; "no error" when it throws nothing.
std::string error_without_folder(const std::function<void()>& body, const TemporaryFolder& folder);

/// The names of the entries of `folder`, sorted.
std::vector<std::string> names_in(const std::string& folder);

/// Replaces the file at `path` with `bytes`.
void write_bytes(const std::string& path, const std::string& bytes);

/// The contents of the file at `path` ("" when it cannot be read).
std::string read_bytes(const std::string& path);

}  // namespace scratchnet::testing
