#include "scratchnet/data/missing_values.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "message_text.hpp"

namespace scratchnet::data {

std::optional<MissingStrategy> missing_strategy_named(std::string_view name) {
  if (name == "error") return MissingStrategy::error;
  if (name == "drop") return MissingStrategy::drop;
  if (name == "mean") return MissingStrategy::mean;
  if (name == "median") return MissingStrategy::median;
  return std::nullopt;
}

std::string name_of(MissingStrategy strategy) {
  switch (strategy) {
    case MissingStrategy::error:
      return "error";
    case MissingStrategy::drop:
      return "drop";
    case MissingStrategy::mean:
      return "mean";
    case MissingStrategy::median:
      return "median";
  }
  throw std::logic_error("name_of: not a MissingStrategy");
}

namespace {

// The mean of `values`: the sum's, corrected by the mean residual from it (as Standardization
// fits its means), so that values far from zero keep their precision.
double mean_of(const std::vector<double>& values) {
  double sum = 0;
  for (double v : values)
    sum += v;
  const double mean = sum / double(values.size());
  double residual = 0;
  for (double v : values)
    residual += v - mean;
  return mean + residual / double(values.size());
}

// numpy's median: the middle value, or the mean of the middle two for an even count.
double median_of(std::vector<double> values) {
  const std::size_t middle = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + std::ptrdiff_t(middle), values.end());
  const double upper = values[middle];
  if (values.size() % 2 == 1) return upper;
  const double lower = *std::max_element(values.begin(), values.begin() + std::ptrdiff_t(middle));
  return lower + (upper - lower) / 2;  // no overflow for values near ±1.8e308
}

MissingCells no_missing_cells(Index columns) {
  MissingCells none;
  none.per_column.assign(std::size_t(columns), 0);
  none.first_places.resize(std::size_t(columns));
  return none;
}

}  // namespace

MissingValues MissingValues::fit(MissingStrategy strategy, const Matrix<double>& features,
                                 std::span<const Index> rows,
                                 const std::vector<std::string>& feature_names,
                                 const std::string& path) {
  MissingValues fitted{strategy, {}};
  if (strategy != MissingStrategy::mean && strategy != MissingStrategy::median) return fitted;
  std::vector<double> present;
  for (Index c = 0; c < features.cols(); ++c) {
    present.clear();
    for (Index r : rows) {
      const double x = features(r, c);
      if (!std::isnan(x)) present.push_back(x);
    }
    if (present.empty()) {
      throw DataError(path, "column " + detail::quoted(feature_names.at(std::size_t(c))) +
                                " has no value in the training rows to fill its gaps with");
    }
    fitted.fill.push_back(strategy == MissingStrategy::mean ? mean_of(present)
                                                            : median_of(std::move(present)));
  }
  return fitted;
}

Index MissingValues::resolve(CsvTable& table, const std::string& path,
                             const std::string& advice) const {
  if (table.missing.total == 0) return 0;
  Matrix<double>& features = table.features;
  switch (strategy) {
    case MissingStrategy::error: {
      const auto& places = table.missing.first_places;
      std::pair<std::size_t, std::size_t> first{SIZE_MAX, SIZE_MAX};
      for (const auto& column : places) {
        if (!column.empty()) first = std::min(first, column[0]);
      }
      throw DataError(path, first.first, first.second, describe_missing(table) + advice);
    }
    case MissingStrategy::drop: {
      Index kept = 0;
      for (Index r = 0; r < features.rows(); ++r) {
        if (features.row(r).array().isNaN().any()) continue;
        if (kept != r) {
          features.row(kept) = features.row(r);
          if (!table.labels.empty()) table.labels[std::size_t(kept)] = table.labels[std::size_t(r)];
        }
        ++kept;
      }
      const Index dropped = features.rows() - kept;
      features.conservativeResize(kept, features.cols());
      if (!table.labels.empty()) table.labels.resize(std::size_t(kept));
      table.missing = no_missing_cells(features.cols());
      if (kept == 0) throw DataError(path, "every row has a missing value; none is left to use");
      return dropped;
    }
    case MissingStrategy::mean:
    case MissingStrategy::median: {
      if (Index(fill.size()) != features.cols())
        throw std::logic_error("MissingValues::resolve: not one fill value per column");
      for (Index r = 0; r < features.rows(); ++r) {
        for (Index c = 0; c < features.cols(); ++c) {
          if (std::isnan(features(r, c))) features(r, c) = fill[std::size_t(c)];
        }
      }
      table.missing = no_missing_cells(features.cols());
      return 0;
    }
  }
  throw std::logic_error("MissingValues::resolve: not a MissingStrategy");
}

}  // namespace scratchnet::data
