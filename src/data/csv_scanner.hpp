#pragma once
// Splitting a CSV file into rows of cells, for read_csv only: RFC 4180 quoting, LF or CRLF line
// ends, a skipped UTF-8 byte order mark and empty lines, with each cell's line and column
// (1-based, in bytes, the byte order mark not counted) kept for messages.
//
// The file is read in pieces, and only one row's text is held at a time: the memory it needs is
// that of its longest row, not of the file. Cells are views into that row's text (a quoted cell
// is unquoted in place), so nothing is copied per cell.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "input_file.hpp"

namespace scratchnet::data::detail {

/// One field of a row: its text without quotes (an unquoted field also without the spaces and
/// tabs around it), and where it starts. The text is valid until the scanner reads another row.
struct Cell {
  std::string_view text;
  std::size_t line = 0;
  std::size_t column = 0;
};

/// Reads the rows of a CSV file one at a time.
class CsvScanner {
 public:
  /// Scans `file`, which must outlive it, from its current position (its start).
  explicit CsvScanner(InputFile& file);

  /// Reads the next row that is not an empty line into the first cells of `cells`, growing it
  /// when needed, and returns how many cells it has; 0 at the end of the file. The cells' text
  /// stays valid until the next call. Throws DataError for an unterminated quote or text after
  /// a closing quote, and as InputFile::read does.
  std::size_t next_row(std::vector<Cell>& cells);

 private:
  /// Reads the next row's text, quoted line breaks included, into row_ (without the line feed
  /// that ends it), and sets row_line_; false at the end of the file.
  bool read_row_text();
  /// Whether row_[p] ends the row's text: its end, or a CR that is the row's last byte.
  bool at_row_end(std::size_t p) const;
  std::size_t skip_blanks(std::size_t p) const;
  /// Reads the field at pos_ into `cell` and leaves pos_ at the ',' after it or the row's end.
  void read_cell(Cell& cell);
  std::size_t column(std::size_t p) const { return p - line_start_ + 1; }

  InputFile& file_;
  std::vector<char> piece_;     // what was last read from the file
  std::size_t piece_used_ = 0;  // bytes of piece_ already taken
  std::size_t piece_size_ = 0;  // bytes of piece_ that hold file content
  bool at_file_start_ = true;   // the byte order mark is looked for there
  std::size_t next_line_ = 1;   // the line the next row's text starts on
  std::size_t row_line_ = 1;    // the line row_ starts on
  std::string row_;             // the current row's text
  std::size_t line_ = 1;        // the line of row_[pos_]
  std::size_t line_start_ = 0;  // where line_ starts in row_
  std::size_t pos_ = 0;         // the next byte of row_ to split
};

}  // namespace scratchnet::data::detail
