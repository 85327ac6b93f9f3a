#pragma once
// The one error every data loader throws: a single line that names the file and says what is
// wrong with it, so that a command-line tool can print it as it is.
//   text files     "PATH:LINE:COLUMN: problem" (1-based line, and column in bytes)
//   binary files   "PATH: problem"

#include <cstddef>
#include <stdexcept>
#include <string>

namespace scratchnet::data {

/// A data file that cannot be read, or does not hold what it should.
class DataError : public std::runtime_error {
 public:
  /// A message already in one of the forms above.
  using std::runtime_error::runtime_error;

  /// "PATH: problem", for binary files and for problems of a whole file.
  DataError(const std::string& path, const std::string& problem)
      : std::runtime_error(path + ": " + problem) {}

  /// "PATH:LINE:COLUMN: problem", for a place in a text file (both 1-based).
  DataError(const std::string& path, std::size_t line, std::size_t column,
            const std::string& problem)
      : std::runtime_error(path + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " +
                           problem) {}
};

}  // namespace scratchnet::data
