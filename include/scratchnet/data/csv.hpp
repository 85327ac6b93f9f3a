#pragma once
// Reading a table of numbers from a CSV file: numeric feature columns and one label column,
// which may hold any text (class names, or numbers for regression).
//   features [rows, features] in double; labels: one cell's text per row
//
// The format is RFC 4180's, read leniently: fields may be quoted ("a,b", "say ""hi"""), a quoted
// field may span lines, lines end in LF or CRLF, the final newline is optional, a UTF-8 byte order
// mark is skipped, empty lines are skipped, and spaces or tabs around a field are dropped (inside
// quotes they are kept). Numbers are read with std::from_chars, so no locale changes them.
// A feature cell that is empty or spells a missing value as pandas' read_csv does ("NA", "N/A",
// "nan", "NaN", "null", "None", "#N/A", …, and "?" as the UCI files write it) is missing: it is
// read as NaN and counted, so that the caller can drop, fill or refuse it (missing_values.hpp).
// Every problem is a DataError "PATH:LINE:COLUMN: problem" that points at the cell or row.

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "scratchnet/data/data_error.hpp"
#include "scratchnet/matrix.hpp"

namespace scratchnet::data {

/// How to read a CSV file.
struct CsvOptions {
  /// Whether the first row names the columns; nullopt detects it: the first row is a header when
  /// any of its cells is not a number (with feature_columns: when one of its cells is one of
  /// them, or none of its cells is a number).
  std::optional<bool> header = std::nullopt;
  /// The label column: a header name, or a 0-based column index (a name is tried first);
  /// "" is the last column.
  std::string label{};
  /// With `label` empty: the label column's name when the header has it (a model's stored label
  /// name); otherwise the last column is, as without it.
  std::string default_label{};
  /// For prediction: when set, a file of exactly this many columns has no label column, and one
  /// with one column more has it (chosen by `label`; it is read, and the caller may ignore it).
  /// Any other column count is an error. Unset, the file must have a label column.
  std::optional<Index> expected_features = std::nullopt;
  /// For regression: every label cell must be a finite number.
  bool numeric_label = false;
  /// The feature columns by name, in the order the features take (a model's feature names).
  /// When the file has a header, each is found by its name wherever it stands, so reordered
  /// columns read the same; a name the header lacks, or a header column that is neither one of
  /// them nor the label, is an error naming it. Without a header they are taken by position.
  /// Empty: every column but the label, in file order.
  std::vector<std::string> feature_columns{};
  /// Whether missing feature cells are read as NaN (counted in CsvTable::missing) rather than
  /// refused, all of them in one error that counts them per column.
  bool allow_missing = false;
};

/// Where a table's feature cells are missing.
struct MissingCells {
  /// Per feature column, how many of its cells are missing.
  std::vector<Index> per_column;
  /// Per feature column, the line and column in the file of its first few missing cells.
  std::vector<std::vector<std::pair<std::size_t, std::size_t>>> first_places;
  /// How many cells are missing in all.
  Index total = 0;
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
  /// Whether the first row was a header (given or detected).
  bool has_header = false;
  /// The missing feature cells (NaN in `features`); none unless options.allow_missing.
  MissingCells missing;
};

/// Puts the feature columns of `table` (read from `path`, with a header) in the order `names`
/// gives, found by name: the columns a model started from (--init) learnt in that order. Throws
/// DataError naming the columns when the names are not the table's, in any order.
void select_feature_columns(CsvTable& table, const std::vector<std::string>& names,
                            const std::string& path);

/// "7 missing values: column 'age' 5 (at 3:1, 9:1, 12:1, …), column 'bmi' 2 (at 4:3, 8:3)":
/// how many cells of `table` are missing, per column (the first 10 such columns), and where the
/// first few are.
std::string describe_missing(const CsvTable& table);

/// Reads the CSV file at `path`. Throws DataError for: a file that cannot be opened, an empty
/// file, a header with no rows after it, a row whose column count differs from the first row's,
/// a feature cell that is not a number or not finite, missing feature cells without
/// options.allow_missing (all of them, in one message at the first: describe_missing()), an
/// unterminated quote, text after a closing quote, a label column that does not exist (the
/// message lists those that do), feature columns that options.feature_columns names and the
/// header lacks or the other way round, an empty or missing ("NA") label cell, a header cell or
/// label that is not valid UTF-8, and with numeric_label a label that is not a finite number. The
/// file is read one row at a time: besides the table it returns, it needs the memory of its longest
/// row. Throws std::invalid_argument when options.expected_features is less than 1.
CsvTable read_csv(const std::string& path, const CsvOptions& options);

}  // namespace scratchnet::data
