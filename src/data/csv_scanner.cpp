#include "csv_scanner.hpp"

#include "message_text.hpp"
#include "number_text.hpp"
#include "scratchnet/data/data_error.hpp"

namespace scratchnet::data::detail {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

}  // namespace

CsvScanner::CsvScanner(std::string_view text, const std::string& path) : text_(text), path_(path) {
  if (text_.starts_with(kByteOrderMark)) pos_ = line_start_ = kByteOrderMark.size();
}

std::size_t CsvScanner::next_row(std::vector<Cell>& cells) {
  while (pos_ < text_.size() && at_line_end(pos_))
    consume_line_end();
  if (pos_ == text_.size()) return 0;
  std::size_t count = 0;
  while (true) {
    if (count == cells.size()) cells.emplace_back();
    read_cell(cells[count++]);
    if (pos_ == text_.size()) return count;
    if (text_[pos_] != ',') break;
    ++pos_;
  }
  consume_line_end();
  return count;
}

// A line ends at LF or CRLF; a CR elsewhere than before LF or at the very end is text.
bool CsvScanner::at_line_end(std::size_t p) const {
  return text_[p] == '\n' || (text_[p] == '\r' && (p + 1 == text_.size() || text_[p + 1] == '\n'));
}

void CsvScanner::consume_line_end() {
  if (text_[pos_] == '\r') ++pos_;
  if (pos_ < text_.size()) ++pos_;  // the '\n'
  ++line_;
  line_start_ = pos_;
}

std::size_t CsvScanner::skip_blanks(std::size_t p) const {
  while (p < text_.size() && (text_[p] == ' ' || text_[p] == '\t'))
    ++p;
  return p;
}

// Reads the field at pos_ and leaves pos_ at the ',' or line end after it, or at the end.
void CsvScanner::read_cell(Cell& cell) {
  cell.line = line_;
  cell.column = column(pos_);
  std::size_t p = skip_blanks(pos_);
  if (p == text_.size() || text_[p] != '"') {  // unquoted: up to the next ',' or line end
    std::size_t end = p;
    while (end < text_.size() && text_[end] != ',' && !at_line_end(end))
      ++end;
    cell.text.assign(trim(text_.substr(p, end - p)));
    pos_ = end;
    return;
  }
  const std::size_t open_line = line_, open_column = column(p);
  cell.text.clear();
  ++p;
  while (true) {  // up to each '"': a doubled one is a quote, a single one closes the field
    const std::size_t quote = text_.find('"', p);
    if (quote == std::string_view::npos) {
      throw DataError(path_, open_line, open_column, "unterminated quote: the field never closes");
    }
    for (std::size_t i = p; i < quote; ++i) {  // a quoted field may span lines
      if (text_[i] == '\n') {
        ++line_;
        line_start_ = i + 1;
      }
    }
    cell.text.append(text_.substr(p, quote - p));
    p = quote + 1;
    if (p == text_.size() || text_[p] != '"') break;
    cell.text += '"';
    ++p;
  }
  p = skip_blanks(p);
  if (p < text_.size() && text_[p] != ',' && !at_line_end(p)) {
    throw DataError(path_, line_, column(p),
                    "unexpected " + quoted(text_.substr(p, 1)) + " after a closing quote");
  }
  pos_ = p;
}

}  // namespace scratchnet::data::detail
