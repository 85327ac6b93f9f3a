// Fuzzes the CSV reader (data::read_csv). The first byte of an input picks the options (header
// detected, given or not; label column last, 0, 1 or named "label"; expected_features unset or
// 1-3; numeric labels or not; missing cells allowed or not); the rest is the file.
//
// Properties checked on every input:
//   - a rejected file gets a DataError whose message is one line; nothing else is thrown;
//   - an accepted file is consistent: one name per feature column, one label per row (or none
//     at all, and no label name), every feature finite or, where a missing cell was allowed,
//     NaN, as many NaN as missing cells counted (per column too), no label blank, at least one
//     row, and no more rows than the file has lines;
//   - written back as CSV (every field quoted, numbers in their shortest round-trip form, the
//     label column last) and read again, it is the same table, bit for bit.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

#include "harness.hpp"
#include "scratchnet/data/csv.hpp"
#include "scratchnet/text/shortest.hpp"

namespace {

using namespace scratchnet;
using fuzz::require;

data::CsvOptions options_from(std::uint8_t byte) {
  data::CsvOptions options;
  const int header = byte & 3;
  if (header == 1) options.header = true;
  if (header == 2) options.header = false;
  const char* labels[] = {"", "0", "1", "label"};
  options.label = labels[(byte >> 2) & 3];
  if (const int expected = (byte >> 4) & 3; expected > 0) options.expected_features = expected;
  options.numeric_label = (byte >> 6) & 1;
  options.allow_missing = (byte >> 7) & 1;
  return options;
}

std::optional<data::CsvTable> read(fuzz::MemoryFile& memory, std::string_view text,
                                   const data::CsvOptions& options) {
  try {
    return data::read_csv(memory.write(text), options);
  } catch (const data::DataError& error) {
    require(fuzz::one_line(error.what()), std::string("multi-line message: ") + error.what());
    return std::nullopt;
  }
}

std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text)
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// The table as a CSV file with a header, every field quoted, the label column (if any) last.
std::string written(const data::CsvTable& table) {
  std::string text;
  const auto cells = [&](const std::vector<std::string>& fields) {
    for (std::size_t c = 0; c < fields.size(); ++c)
      text.append(c ? "," : "").append(quoted(fields[c]));
    text += "\r\n";
  };
  std::vector<std::string> header = table.feature_names;
  if (!table.label_name.empty() || !table.labels.empty()) header.push_back(table.label_name);
  cells(header);
  for (Index row = 0; row < table.features.rows(); ++row) {
    std::vector<std::string> fields;
    for (Index col = 0; col < table.features.cols(); ++col)
      fields.push_back(shortest(table.features(row, col)));
    if (!table.labels.empty()) fields.push_back(table.labels[std::size_t(row)]);
    cells(fields);
  }
  return text;
}

void check_consistent(const data::CsvTable& table, std::string_view text) {
  require(table.features.rows() >= 1, "no rows");
  require(Index(table.feature_names.size()) == table.features.cols(),
          "feature names and columns differ in number");
  require(table.features.cols() >= 1, "no feature columns");
  const bool labelled = !table.labels.empty();
  require(labelled || table.label_name.empty(), "a label name but no labels");
  require(!labelled || Index(table.labels.size()) == table.features.rows(),
          "labels and rows differ in number");
  Index missing = 0;
  for (const double value : table.features.reshaped()) {
    missing += std::isnan(value);
    require(std::isfinite(value) || std::isnan(value), "a feature that is infinite");
  }
  require(missing == table.missing.total, "NaN features and missing cells differ in number");
  Index per_column = 0;
  for (Index c = 0; c < table.features.cols(); ++c) {
    const Index nan = table.features.col(c).array().isNaN().count();
    require(std::size_t(c) < table.missing.per_column.size() &&
                table.missing.per_column[std::size_t(c)] == nan,
            "a column's missing cells are miscounted");
    per_column += nan;
  }
  require(per_column == missing, "missing cells per column do not add up");
  for (const std::string& label : table.labels)
    require(label.find_first_not_of(" \t") != std::string::npos, "a blank label");
  const auto lines = std::size_t(std::count(text.begin(), text.end(), '\n')) + 1;
  require(std::size_t(table.features.rows()) <= lines, "more rows than lines");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fuzz::MemoryFile memory;
  if (size == 0) return 0;
  const data::CsvOptions options = options_from(data[0]);
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  const std::optional<data::CsvTable> table = read(memory, text, options);
  if (!table) return 0;
  check_consistent(*table, text);
  require(options.allow_missing || table->missing.total == 0, "missing cells not refused");

  data::CsvOptions again_options;
  again_options.header = true;
  again_options.numeric_label = options.numeric_label;
  again_options.allow_missing = options.allow_missing;  // NaN is written "nan", a missing cell
  if (table->labels.empty()) again_options.expected_features = table->features.cols();
  const std::string rewritten = written(*table);
  const std::optional<data::CsvTable> again = read(memory, rewritten, again_options);
  require(again.has_value(), "the table written back is refused:\n" + rewritten);
  require(again->feature_names == table->feature_names, "feature names change when written back");
  require(again->label_name == table->label_name, "label name changes when written back");
  require(again->labels == table->labels, "labels change when written back");
  require(again->features.rows() == table->features.rows() &&
              again->features.cols() == table->features.cols() &&
              std::memcmp(again->features.data(), table->features.data(),
                          std::size_t(table->features.size()) * sizeof(double)) == 0,
          "features change when written back");
  return 0;
}
