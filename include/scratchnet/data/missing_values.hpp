#pragma once
// Missing feature values (CSV cells that are empty or say "NA"), as scikit-learn's SimpleImputer
// or pandas' dropna treat them: refused, their rows dropped, or filled with the column's mean or
// median over the training rows. The fill values are fitted once and stored in the model file,
// so that prediction fills a gap exactly as training did.
//   features [rows, features] with NaN where a cell is missing; fill holds one value per column

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "scratchnet/data/csv.hpp"
#include "scratchnet/matrix.hpp"

namespace scratchnet::data {

/// What to do with rows that have missing feature values.
enum class MissingStrategy {
  error,   // refuse them, counting every missing cell per column
  drop,    // leave such rows out
  mean,    // fill each cell with its column's mean over the training rows
  median,  // the same with the median (numpy's: the middle two values' mean for an even count)
};

/// The strategy `name` ("error", "drop", "mean", "median") names, or nullopt.
std::optional<MissingStrategy> missing_strategy_named(std::string_view name);
/// The strategy's name, as missing_strategy_named() reads it.
std::string name_of(MissingStrategy strategy);

/// A strategy with its fitted fill values (one per feature column; mean and median only).
struct MissingValues {
  MissingStrategy strategy = MissingStrategy::error;
  std::vector<double> fill;

  /// The strategy fitted on the rows `rows` of `features`: for mean and median, each column's
  /// over those of its cells that are not NaN. Throws DataError naming the column (by
  /// `feature_names`, from `path`) when one has no value to fit on in those rows.
  static MissingValues fit(MissingStrategy strategy, const Matrix<double>& features,
                           std::span<const Index> rows,
                           const std::vector<std::string>& feature_names, const std::string& path);

  /// Brings `table` to rows without missing cells, as the strategy says: nothing to do when it
  /// has none; error throws DataError "PATH:LINE:COLUMN: 3 missing values: column 'b' 2 (at 2:3,
  /// 5:3), …" followed by `advice`; drop removes those rows (features and labels); mean and
  /// median write the fill values into them (std::logic_error when fill does not have one per
  /// column). Returns the number of rows dropped.
  Index resolve(CsvTable& table, const std::string& path, const std::string& advice) const;

  bool operator==(const MissingValues&) const = default;
};

}  // namespace scratchnet::data
