#pragma once
// Splitting the text of a CSV file into rows of cells, for read_csv only: RFC 4180 quoting, LF
// or CRLF line ends, a skipped UTF-8 byte order mark and empty lines, with each cell's line and
// column (1-based, in bytes, the byte order mark not counted) kept for messages.

#include <string>
#include <string_view>
#include <vector>

namespace scratchnet::data::detail {

/// One field of a row: its text without quotes (an unquoted field also without the spaces and
/// tabs around it), and where it starts.
struct Cell {
  std::string text;
  std::size_t line = 0;
  std::size_t column = 0;
};

/// Reads the rows of a CSV text one at a time.
class CsvScanner {
 public:
  /// Scans `text`, the contents of the file `path` (named in messages); both must outlive it.
  CsvScanner(std::string_view text, const std::string& path);

  /// Reads the next row that is not an empty line into the first cells of `cells`, growing it
  /// when needed (so that the cells' strings are reused from row to row), and returns how many
  /// cells it has; 0 at the end of the text. Throws DataError for an unterminated quote or
  /// text after a closing quote.
  std::size_t next_row(std::vector<Cell>& cells);

 private:
  bool at_line_end(std::size_t p) const;
  void consume_line_end();
  std::size_t column(std::size_t p) const { return p - line_start_ + 1; }
  std::size_t skip_blanks(std::size_t p) const;
  void read_cell(Cell& cell);

  std::string_view text_;
  const std::string& path_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t line_start_ = 0;  // where line_ starts in text_
};

}  // namespace scratchnet::data::detail
