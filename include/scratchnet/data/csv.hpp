#pragma once
// Reading a table of numbers from a CSV file: numeric feature columns and one label column,
// which may hold any text (class names, or numbers for regression).
//   features [rows, features] in double; labels: one cell's text per row
//
// The format is RFC 4180's, read leniently: fields may be quoted ("a,b", "say ""hi"""), a quoted
// field may span lines, lines end in LF or CRLF, the final newline is optional, a UTF-8 byte order
// mark is skipped, empty lines are skipped, and spaces or tabs around a field are dropped (inside
// quotes they are kept). Numbers are read with std::from_chars, so no locale changes them.
// Every problem is a DataError "PATH:LINE:COLUMN: problem" that points at the cell or row.

#include <optional>
#include <string>
#include <vector>

#include "scratchnet/data/data_error.hpp"
#include "scratchnet/matrix.hpp"

namespace scratchnet::data {

/// How to read a CSV file.
struct CsvOptions {
  /// Whether the first row names the columns; nullopt detects it: the first row is a header when
  /// any of its cells is not a number.
  std::optional<bool> header = std::nullopt;
  /// The label column: a header name, or a 0-based column index (a name is tried first);
  /// "" is the last column.
  std::string label{};
  /// For prediction: when set, a file of exactly this many columns has no label column, and one
  /// with one column more has it (chosen by `label`; it is read, and the caller may ignore it).
  /// Any other column count is an error. Unset, the file must have a label column.
  std::optional<Index> expected_features = std::nullopt;
  /// For regression: every label cell must be a finite number.
  bool numeric_label = false;
};

/// What read_csv found in a file.
struct CsvTable {
  /// The feature columns' header names, or their column indices ("0", "1", …) without a header.
  std::vector<std::string> feature_names;
  /// The label column's header name or index as text; empty when there is no label column.
  std::string label_name;
  /// The feature cells, [rows, features], in file order (the label column left out).
  Matrix<double> features;
  /// Each row's label cell, unquoted; empty when there is no label column.
  std::vector<std::string> labels;
};

/// Reads the CSV file at `path`. Throws DataError for: a file that cannot be opened, an empty
/// file, a header with no rows after it, a row whose column count differs from the first row's,
/// a feature cell that is empty, not a number or not finite, an unterminated quote, text after a
/// closing quote, a label column that does not exist (the message lists those that do), an empty
/// label cell, a header cell or label that is not valid UTF-8, and with numeric_label a label
/// that is not a finite number. The file is read one row at a time: besides the table it
/// returns, it needs the memory of its longest row. Throws
/// std::invalid_argument when options.expected_features is less than 1.
CsvTable read_csv(const std::string& path, const CsvOptions& options);

}  // namespace scratchnet::data
