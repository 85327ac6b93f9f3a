#include "scratchnet/data/csv.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>
#include <stdexcept>
#include <string_view>
#include <utility>

#include "csv_scanner.hpp"
#include "input_file.hpp"
#include "message_text.hpp"
#include "number_text.hpp"
#include "scratchnet/text/utf8.hpp"

namespace scratchnet::data {
namespace {

using detail::Cell;

// The label column that `label` names among `names`: "" is the last, a header name is tried
// before a 0-based index. Throws at the first row's start when there is none.
std::size_t label_column(const std::string& label, const std::vector<std::string>& names,
                         bool has_header, const std::string& path, const Cell& first) {
  if (label.empty()) return names.size() - 1;
  if (has_header) {
    const auto named = std::find(names.begin(), names.end(), label);
    if (named != names.end()) return std::size_t(named - names.begin());
  }
  std::size_t index = 0;
  const auto [end, error] = std::from_chars(label.data(), label.data() + label.size(), index);
  if (error == std::errc() && end == label.data() + label.size() && index < names.size()) {
    return index;
  }
  const std::string problem = "no label column " + detail::quoted(label);
  if (has_header)
    throw DataError(path, first.line, first.column,
                    problem + "; the columns are " + detail::listed(names));
  throw DataError(path, first.line, first.column,
                  problem + "; the file has no header, so its columns are numbered 0 to " +
                      std::to_string(names.size() - 1));
}

// Header names and labels go into model files as JSON, which must be UTF-8: a malformed byte is
// refused here, at its place in the file, rather than when the trained model is saved.
void require_utf8(const Cell& cell, const std::string& what, const std::string& path) {
  const auto bad = first_invalid_utf8(cell.text);
  if (!bad) return;
  char byte[8];
  std::snprintf(byte, sizeof byte, "0x%02X", unsigned(static_cast<unsigned char>(cell.text[*bad])));
  throw DataError(path, cell.line, cell.column,
                  what + " is not valid UTF-8 (byte " + byte + " at its byte " +
                      std::to_string(*bad + 1) + "); save the file as UTF-8");
}

// How the first row lays out the table: whether it is a header, each column's name, and which
// column holds the label.
struct Layout {
  bool has_header = false;
  std::vector<std::string> names;            // every column's: its header name or index
  std::optional<std::size_t> label;          // the label column, if there is one
  std::vector<std::size_t> feature_columns;  // the others, in file order

  // "column 'petal'" with a header, "column 3" without.
  std::string column_name(std::size_t c) const {
    return has_header ? "column " + detail::quoted(names[c]) : "column " + names[c];
  }
};

// "the columns do not match the features by name: the header lacks 'b'; 'c' is not among them"
std::string mismatch_problem(const std::vector<std::string>& absent,
                             const std::vector<std::string>& unknown) {
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) about "text" + std::string.
  std::string problem = "the columns do not match the features by name:";
  if (!absent.empty()) problem.append(" the header lacks ").append(detail::quoted_list(absent));
  if (!absent.empty() && !unknown.empty()) problem += ";";
  if (!unknown.empty()) {
    problem.append(" ").append(detail::quoted_list(unknown));
    problem.append(unknown.size() == 1 ? " is" : " are").append(" not among them");
  }
  return problem;
}

// The feature columns options.feature_columns names, found by name in the header, in that order;
// the label column is options.label's (for prediction, only when the header has it). Every name
// must be there once, and every other column must be the label.
void match_feature_columns(Layout& layout, const CsvOptions& options, const std::string& path,
                           const Cell& first) {
  const std::vector<std::string>& names = layout.names;
  const bool label_wanted = !options.expected_features ||
                            std::find(names.begin(), names.end(), options.label) != names.end();
  if (label_wanted) layout.label = label_column(options.label, names, true, path, first);
  std::vector<std::string> absent, twice, unknown;
  for (const std::string& wanted : options.feature_columns) {
    std::optional<std::size_t> found;
    for (std::size_t c = 0; c < names.size(); ++c) {
      if (names[c] != wanted || c == layout.label) continue;
      if (found) twice.push_back(wanted);
      found = c;
    }
    if (found) {
      layout.feature_columns.push_back(*found);
    } else {
      absent.push_back(wanted);
    }
  }
  for (std::size_t c = 0; c < names.size(); ++c) {
    if (c != layout.label &&
        std::find(options.feature_columns.begin(), options.feature_columns.end(), names[c]) ==
            options.feature_columns.end()) {
      unknown.push_back(names[c]);
    }
  }
  if (!twice.empty()) {
    throw DataError(path, first.line, first.column,
                    "the header names the feature column " + detail::quoted(twice[0]) +
                        " twice, so it is not known which one to read");
  }
  if (absent.empty() && unknown.empty()) return;
  std::string problem = mismatch_problem(absent, unknown);
  const std::string& label = options.label.empty() ? options.default_label : options.label;
  if (!label_wanted && !label.empty())
    problem.append(" (nor the label ").append(detail::quoted(label)).append(")");
  throw DataError(path, first.line, first.column, problem);
}

Layout layout_with_label(Layout layout, const CsvOptions& options, const std::string& path,
                         const Cell& first);

Layout layout_of(const std::vector<Cell>& first_row, std::size_t columns, const CsvOptions& options,
                 const std::string& path) {
  const Cell& first = first_row[0];
  if (columns == 1 && !options.expected_features && options.label.empty()) {  // before any copy
    throw DataError(path, first.line, first.column,
                    "the only column is the label column: there are no feature columns");
  }
  Layout layout;
  CsvOptions named = options;  // the label named by default_label, when the header has it
  const auto row_end = first_row.begin() + std::ptrdiff_t(columns);
  const auto is_text = [](const Cell& cell) { return !detail::parse_number(cell.text); };
  const auto is_feature_name = [&](const Cell& cell) {
    const auto& names = options.feature_columns;
    return std::find(names.begin(), names.end(), cell.text) != names.end();
  };
  // Knowing the feature names, a first row of numbers and one class name is data, not a header.
  layout.has_header = options.header.value_or(
      options.feature_columns.empty() ? std::any_of(first_row.begin(), row_end, is_text)
                                      : std::any_of(first_row.begin(), row_end, is_feature_name) ||
                                            std::all_of(first_row.begin(), row_end, is_text));
  for (std::size_t c = 0; c < columns && layout.has_header; ++c)
    require_utf8(first_row[c], "header cell", path);
  for (std::size_t c = 0; c < columns; ++c)
    layout.names.push_back(layout.has_header ? std::string(first_row[c].text) : std::to_string(c));
  if (named.label.empty() && layout.has_header &&
      std::find(layout.names.begin(), layout.names.end(), options.default_label) !=
          layout.names.end()) {
    named.label = options.default_label;
  }
  return layout_with_label(std::move(layout), named, path, first);
}

// The rest of layout_of(): the label column and the feature columns, with `options.label` saying
// which column is the label.
Layout layout_with_label(Layout layout, const CsvOptions& options, const std::string& path,
                         const Cell& first) {
  const std::size_t columns = layout.names.size();

  if (layout.has_header && !options.feature_columns.empty()) {
    match_feature_columns(layout, options, path, first);
    return layout;
  }
  if (!options.expected_features) {
    layout.label = label_column(options.label, layout.names, layout.has_header, path, first);
    if (columns == 1) {
      throw DataError(path, first.line, first.column,
                      "the only column is the label column: there are no feature columns");
    }
  } else if (const auto expected = std::size_t(*options.expected_features);
             columns == expected + 1) {
    layout.label = label_column(options.label, layout.names, layout.has_header, path, first);
  } else if (columns != expected) {
    throw DataError(path, first.line, first.column,
                    "expected " + std::to_string(expected) + " feature columns (or " +
                        std::to_string(expected + 1) + " with a label column), the first row has " +
                        std::to_string(columns));
  }
  for (std::size_t c = 0; c < columns; ++c) {
    if (c != layout.label) layout.feature_columns.push_back(c);
  }
  return layout;
}

// How many places of missing cells a column keeps for messages.
constexpr std::size_t kPlacesShown = 3;

// Reads one data row: its features into `values` row `row`, its label onto `labels`.
void read_row(const std::vector<Cell>& cells, const Layout& layout, const CsvOptions& options,
              const std::string& path, Matrix<double>& values, Index row,
              std::vector<std::string>& labels, MissingCells& missing) {
  for (std::size_t k = 0; k < layout.feature_columns.size(); ++k) {
    const std::size_t c = layout.feature_columns[k];
    const Cell& cell = cells[c];
    const auto value = detail::parse_number(cell.text);
    if (value && std::isfinite(*value)) {
      values(row, Index(k)) = *value;
      continue;
    }
    if (detail::is_missing(cell.text)) {
      values(row, Index(k)) = std::numeric_limits<double>::quiet_NaN();
      missing.per_column[k] += 1;
      missing.total += 1;
      if (missing.first_places[k].size() < kPlacesShown)
        missing.first_places[k].emplace_back(cell.line, cell.column);
      continue;
    }
    const std::string problem =
        value ? "feature cell " + detail::quoted(cell.text) + " is not a finite number"
              : "feature cell " + detail::quoted(cell.text) + " is not a number";
    throw DataError(path, cell.line, cell.column, problem + " (" + layout.column_name(c) + ")");
  }
  if (!layout.label) return;
  const Cell& cell = cells[*layout.label];
  std::string problem;
  require_utf8(cell, "label", path);
  if (detail::trim(cell.text).empty()) {
    problem = "empty label cell";
  } else if (detail::is_missing(cell.text)) {
    problem = "label " + detail::quoted(cell.text) +
              " marks a missing value; a row without its label cannot be used";
  } else if (options.numeric_label && !detail::parse_finite(cell.text)) {
    problem = "label " + detail::quoted(cell.text) + " is not a " +
              (detail::parse_number(cell.text) ? "finite number" : "number");
  }
  if (!problem.empty()) {
    throw DataError(path, cell.line, cell.column,
                    problem + " (" + layout.column_name(*layout.label) + ")");
  }
  labels.emplace_back(cell.text);
}

}  // namespace

CsvTable read_csv(const std::string& path, const CsvOptions& options) {
  if (options.expected_features && *options.expected_features < 1) {
    throw std::invalid_argument("read_csv: expected_features must be at least 1");
  }
  detail::InputFile file(path);
  detail::CsvScanner scanner(file);
  std::vector<Cell> cells;
  const std::size_t columns = scanner.next_row(cells);
  if (columns == 0) throw DataError(path, "empty file");
  const std::size_t first_line = cells[0].line, first_column = cells[0].column;
  const Layout layout = layout_of(cells, columns, options, path);

  CsvTable table;
  for (std::size_t c : layout.feature_columns)
    table.feature_names.push_back(layout.names[c]);
  if (layout.label) table.label_name = layout.names[*layout.label];
  table.has_header = layout.has_header;
  table.missing.per_column.assign(layout.feature_columns.size(), 0);
  table.missing.first_places.resize(layout.feature_columns.size());

  // The rows go straight into the matrix, which grows by doubling and is shrunk at the end; a
  // row-major matrix that keeps its columns grows and shrinks by realloc, which moves the pages
  // of a large block rather than copying them. The file's size bounds the rows: a row of n
  // nonempty cells (as every row before the first bad one is) takes at least 2n - 1 bytes.
  const auto features = Index(layout.feature_columns.size());
  const std::size_t most_rows = std::size_t(file.size() / (2 * columns - 1)) + 1;
  std::size_t room = std::min<std::size_t>(most_rows, 1024);
  Matrix<double> values(static_cast<Index>(room), features);

  std::size_t rows = 0;
  std::size_t count = layout.has_header ? scanner.next_row(cells) : columns;
  if (count == 0) throw DataError(path, first_line, first_column, "a header but no data rows");
  for (; count > 0; count = scanner.next_row(cells), ++rows) {
    if (count != columns) {
      throw DataError(path, cells[0].line, cells[0].column,
                      "row has " + std::to_string(count) + " columns, the " +
                          (layout.has_header ? "header" : "first row") + " has " +
                          std::to_string(columns));
    }
    if (rows == room) {
      room = std::max(rows + 1, std::min(2 * room, most_rows));  // never past the end
      values.conservativeResize(Index(room), features);
    }
    read_row(cells, layout, options, path, values, Index(rows), table.labels, table.missing);
  }
  values.conservativeResize(Index(rows), features);
  table.features = std::move(values);
  if (table.missing.total > 0 && !options.allow_missing) {
    const auto& places = table.missing.first_places;
    const auto first = std::min_element(places.begin(), places.end(), [](auto& a, auto& b) {
      return !a.empty() && (b.empty() || a[0] < b[0]);
    });
    throw DataError(path, (*first)[0].first, (*first)[0].second, describe_missing(table));
  }
  return table;
}

void select_feature_columns(CsvTable& table, const std::vector<std::string>& names,
                            const std::string& path) {
  std::vector<std::string> absent, unknown;
  std::vector<Index> source;
  for (const std::string& name : names) {
    const auto found = std::find(table.feature_names.begin(), table.feature_names.end(), name);
    if (found == table.feature_names.end()) {
      absent.push_back(name);
    } else {
      source.push_back(Index(found - table.feature_names.begin()));
    }
  }
  for (const std::string& name : table.feature_names) {
    if (std::find(names.begin(), names.end(), name) == names.end()) unknown.push_back(name);
  }
  if (!absent.empty() || !unknown.empty()) throw DataError(path, mismatch_problem(absent, unknown));
  if (std::is_sorted(source.begin(), source.end())) return;  // already in that order
  Matrix<double> features(table.features.rows(), Index(source.size()));
  MissingCells missing;
  missing.total = table.missing.total;
  for (std::size_t k = 0; k < source.size(); ++k) {
    const auto from = std::size_t(source[k]);
    features.col(Index(k)) = table.features.col(source[k]);
    if (!table.missing.per_column.empty()) {
      missing.per_column.push_back(table.missing.per_column[from]);
      missing.first_places.push_back(table.missing.first_places[from]);
    }
  }
  table.features = std::move(features);
  table.feature_names = names;
  table.missing = std::move(missing);
}

std::string describe_missing(const CsvTable& table) {
  const MissingCells& missing = table.missing;
  std::string text =
      std::to_string(missing.total) + (missing.total == 1 ? " missing value:" : " missing values:");
  const char* separator = " ";
  constexpr std::size_t kColumnsShown = 10;
  std::size_t columns = 0;
  for (std::size_t k = 0; k < missing.per_column.size(); ++k) {
    if (missing.per_column[k] == 0) continue;
    if (++columns > kColumnsShown) continue;
    text.append(separator).append("column ").append(detail::quoted(table.feature_names[k]));
    text.append(" ").append(std::to_string(missing.per_column[k])).append(" (at ");
    for (std::size_t i = 0; i < missing.first_places[k].size(); ++i) {
      const auto [line, column] = missing.first_places[k][i];
      text.append(i > 0 ? ", " : "")
          .append(std::to_string(line))
          .append(":")
          .append(std::to_string(column));
    }
    if (missing.per_column[k] > Index(missing.first_places[k].size())) text += ", …";
    text += ")";
    separator = ", ";
  }
  if (columns > kColumnsShown)
    text += " and " + std::to_string(columns - kColumnsShown) + " more columns";
  return text;
}

}  // namespace scratchnet::data
