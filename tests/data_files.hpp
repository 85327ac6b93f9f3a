#pragma once
// Small data files for the loader tests, written by the tests themselves into GoogleTest's
// temporary directory and removed when the test ends, and the one-line message of a DataError.

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "scratchnet/data/data_error.hpp"
#include "temporary_folder.hpp"  // read_bytes

namespace scratchnet::testing {

/// Files of one test: each name is made unique to the running test and process (tests run in
/// parallel, from several build directories), and every file is removed on destruction.
class TempFiles {
 public:
  TempFiles() = default;
  TempFiles(const TempFiles&) = delete;
  TempFiles& operator=(const TempFiles&) = delete;
  ~TempFiles();

  /// The path the file `name` would have; nothing is written, but it is removed at the end.
  std::string path(const std::string& name);
  /// Writes `bytes` to the file `name` and returns its path.
  std::string write(const std::string& name, std::string_view bytes);

 private:
  std::vector<std::string> paths_;
};

/// The what() of the DataError that `read()` throws, or "(no DataError thrown)".
template <typename Read>
std::string data_error_message(Read&& read) {
  try {
    read();
  } catch (const data::DataError& error) {
    return error.what();
  }
  return "(no DataError thrown)";
}

}  // namespace scratchnet::testing
