#include "scratchnet/data/classes.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <string_view>
#include <unordered_map>

#include "message_text.hpp"
#include "number_text.hpp"
#include "scratchnet/text/shortest.hpp"

namespace scratchnet::data {

std::vector<std::string> sorted_classes(const std::vector<std::string>& labels) {
  std::vector<double> values;
  values.reserve(labels.size());
  for (const std::string& label : labels) {
    const auto value = detail::parse_finite(label);
    if (!value) {  // not all numbers: distinct texts in byte order, sorted as views, not copies
      std::vector<std::string_view> texts(labels.begin(), labels.end());
      std::sort(texts.begin(), texts.end());
      texts.erase(std::unique(texts.begin(), texts.end()), texts.end());
      return {texts.begin(), texts.end()};
    }
    values.push_back(*value + 0.0);  // + 0.0 makes -0 the class "0"
  }
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  std::vector<std::string> classes;
  classes.reserve(values.size());
  for (double value : values)
    classes.push_back(shortest(value));
  return classes;
}

void require_one_spelling_per_class(const std::vector<std::string>& labels,
                                    const std::string& path) {
  std::vector<double> values;
  values.reserve(labels.size());
  for (const std::string& label : labels) {
    const auto value = detail::parse_finite(label);
    if (!value) return;              // not all numbers: the labels are compared as text
    values.push_back(*value + 0.0);  // -0 is 0
  }
  std::unordered_map<double, std::size_t> first_row_of;  // each value's first row
  for (std::size_t row = 0; row < labels.size(); ++row) {
    const auto [first, added] = first_row_of.emplace(values[row], row);
    if (!added && labels[first->second] != labels[row]) {
      throw DataError(path, "row " + std::to_string(row + 1) + ": label " +
                                detail::quoted(labels[row]) + " and row " +
                                std::to_string(first->second + 1) + "'s label " +
                                detail::quoted(labels[first->second]) +
                                " are the same number written two ways; write each class one "
                                "way, so that no two are merged by mistake");
    }
  }
}

Matrix<double> class_indices(const std::vector<std::string>& labels,
                             const std::vector<std::string>& classes, const std::string& path) {
  std::unordered_map<std::string, Index> by_text;
  std::map<double, Index> by_value;
  for (std::size_t c = 0; c < classes.size(); ++c) {
    by_text.emplace(classes[c], Index(c));  // emplace keeps the first of duplicates
    if (const auto value = detail::parse_finite(classes[c]))
      by_value.emplace(*value + 0.0, Index(c));
  }
  Matrix<double> indices(Index(labels.size()), 1);
  for (std::size_t row = 0; row < labels.size(); ++row) {
    std::optional<Index> index;
    if (const auto text = by_text.find(labels[row]); text != by_text.end()) {
      index = text->second;
    } else if (const auto value = detail::parse_finite(labels[row])) {
      if (const auto match = by_value.find(*value + 0.0); match != by_value.end()) {
        index = match->second;
      }
    }
    if (!index) {
      throw DataError(path,
                      "row " + std::to_string(row + 1) + ": label " + detail::quoted(labels[row]) +
                          " is not one of the model's classes (" + detail::listed(classes) + ")");
    }
    indices(Index(row), 0) = double(*index);
  }
  return indices;
}

Matrix<double> numeric_targets(const std::vector<std::string>& labels, const std::string& path) {
  Matrix<double> targets(Index(labels.size()), 1);
  for (std::size_t row = 0; row < labels.size(); ++row) {
    const auto value = detail::parse_finite(labels[row]);
    if (!value) {
      throw DataError(path, "row " + std::to_string(row + 1) + ": label " +
                                detail::quoted(labels[row]) + " is not a finite number");
    }
    targets(Index(row), 0) = *value;
  }
  return targets;
}

}  // namespace scratchnet::data
