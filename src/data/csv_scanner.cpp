#include "csv_scanner.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "message_text.hpp"
#include "number_text.hpp"
#include "scratchnet/data/data_error.hpp"

namespace scratchnet::data::detail {
namespace {

constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";
constexpr std::size_t kPieceBytes = 1 << 16;

}  // namespace

// A small file gets a piece of its size (+1 to see its end in one read), not 64 KiB.
CsvScanner::CsvScanner(InputFile& file)
    : file_(file), piece_(std::size_t(std::min<std::uint64_t>(kPieceBytes, file.size() + 1))) {}

bool CsvScanner::read_row_text() {
  // Where a row ends depends on quoting: a line feed inside a quoted field is text. A quote
  // opens a field only as its first byte after spaces and tabs, as read_cell reads it.
  enum class State { field_start, unquoted, quoted, quote_in_quoted };
  State state = State::field_start;
  row_.clear();
  row_line_ = next_line_;
  bool read_any = false;
  while (true) {
    if (piece_used_ == piece_size_) {
      piece_size_ = file_.read(piece_.data(), piece_.size());
      piece_used_ = 0;
      if (at_file_start_) {
        at_file_start_ = false;
        const std::string_view start(piece_.data(), piece_size_);
        if (start.starts_with(kByteOrderMark)) piece_used_ = kByteOrderMark.size();
      }
      if (piece_size_ == 0) return read_any;
    }
    read_any = true;
    const char* const begin = piece_.data() + piece_used_;
    const char* const end = piece_.data() + piece_size_;
    const char* p = begin;
    bool row_ended = false;
    for (; p < end && !row_ended; ++p) {
      const char c = *p;
      switch (state) {
        case State::field_start:
          if (c == '"') {
            state = State::quoted;
          } else if (c == '\n') {
            row_ended = true;
          } else if (c != ' ' && c != '\t' && c != ',') {
            state = State::unquoted;
          }
          break;
        case State::unquoted:
          if (c == ',') state = State::field_start;
          if (c == '\n') row_ended = true;
          break;
        case State::quoted:
          if (c == '"') state = State::quote_in_quoted;
          if (c == '\n') ++next_line_;
          break;
        case State::quote_in_quoted:  // a doubled quote, or the field's end
          state = c == '"' ? State::quoted : c == ',' ? State::field_start : State::unquoted;
          if (c == '\n') row_ended = true;
          break;
      }
    }
    row_.append(begin, std::size_t(p - begin) - (row_ended ? 1 : 0));
    piece_used_ = std::size_t(p - piece_.data());
    if (row_ended) {
      ++next_line_;
      return true;
    }
  }
}

std::size_t CsvScanner::next_row(std::vector<Cell>& cells) {
  while (true) {
    if (!read_row_text()) return 0;
    line_ = row_line_;
    line_start_ = pos_ = 0;
    if (!row_.empty() && !at_row_end(0)) break;  // else an empty line (or a lone CR): skipped
  }
  std::size_t count = 0;
  while (true) {
    if (count == cells.size()) cells.emplace_back();
    read_cell(cells[count++]);
    if (pos_ == row_.size() || row_[pos_] != ',') return count;
    ++pos_;
  }
}

// A row's text ends at the line feed, which read_row_text leaves out; a CR before it (CRLF),
// or at the very end of the file, ends it too. A CR elsewhere is text.
bool CsvScanner::at_row_end(std::size_t p) const {
  return p == row_.size() || (row_[p] == '\r' && p + 1 == row_.size());
}

std::size_t CsvScanner::skip_blanks(std::size_t p) const {
  while (p < row_.size() && (row_[p] == ' ' || row_[p] == '\t'))
    ++p;
  return p;
}

void CsvScanner::read_cell(Cell& cell) {
  cell.line = line_;
  cell.column = column(pos_);
  std::size_t p = skip_blanks(pos_);
  if (at_row_end(p) || row_[p] != '"') {  // unquoted: up to the next ',' or the row's end
    std::size_t end = p;
    while (!at_row_end(end) && row_[end] != ',')
      ++end;
    cell.text = trim(std::string_view(row_).substr(p, end - p));
    pos_ = end;
    return;
  }
  const std::size_t open_line = line_, open_column = column(p);
  // The unquoted text is written over the quoted one, from its opening quote on: it is never
  // longer, so every byte is read before it is overwritten.
  const std::size_t start = p;
  std::size_t written = start;
  ++p;
  while (true) {  // up to each '"': a doubled one is a quote, a single one closes the field
    const std::size_t quote = row_.find('"', p);
    if (quote == std::string::npos) {
      throw DataError(file_.path(), open_line, open_column,
                      "unterminated quote: the field never closes");
    }
    for (std::size_t i = p; i < quote; ++i) {  // a quoted field may span lines
      if (row_[i] == '\n') {
        ++line_;
        line_start_ = i + 1;
      }
    }
    std::memmove(row_.data() + written, row_.data() + p, quote - p);
    written += quote - p;
    p = quote + 1;
    if (p == row_.size() || row_[p] != '"') break;
    row_[written++] = '"';
    ++p;
  }
  cell.text = std::string_view(row_).substr(start, written - start);
  p = skip_blanks(p);
  if (!at_row_end(p) && row_[p] != ',') {
    throw DataError(
        file_.path(), line_, column(p),
        "unexpected " + quoted(std::string_view(row_).substr(p, 1)) + " after a closing quote");
  }
  pos_ = p;
}

}  // namespace scratchnet::data::detail
