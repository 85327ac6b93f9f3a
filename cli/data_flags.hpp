#pragma once
// The flags that say how to read a CSV file, shared by train, eval and predict:
// --header / --no-header and --label NAME|INDEX.

#include "command.hpp"
#include "scratchnet/data/csv.hpp"

namespace scratchnet::cli {

class CsvFlags {
 public:
  /// Registers the flags on `command`; `label_default` says which column --label is when not
  /// given, as the command decides it ("the last column").
  void add_to(CLI::App& command, const std::string& label_default);

  /// The CSV options they ask for. Throws FlagError when both --header and --no-header are set.
  data::CsvOptions options() const;

  /// Whether --label was given.
  bool label_given() const { return !label_.empty(); }

 private:
  bool header_ = false;
  bool no_header_ = false;
  std::string label_;
};

}  // namespace scratchnet::cli
