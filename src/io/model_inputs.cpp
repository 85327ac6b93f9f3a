#include "scratchnet/io/model_inputs.hpp"

namespace scratchnet::io {

bool has_feature_names(const ModelDescription& description) {
  const auto& names = description.feature_names;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] != std::to_string(i)) return true;
  }
  return false;
}

data::CsvOptions csv_options_for(data::CsvOptions csv, const ModelDescription& description) {
  csv.default_label = description.label_name;
  if (has_feature_names(description)) csv.feature_columns = description.feature_names;
  csv.allow_missing = true;
  return csv;
}

std::optional<std::string> unnamed_columns_warning(const data::RawRows& rows,
                                                   const ModelDescription& description) {
  if (!rows.table || rows.table->has_header || !has_feature_names(description)) return std::nullopt;
  return rows.path +
         ": no header, so its columns are taken by position; the model knows them by name, "
         "and a header would have them matched by name";
}

Index resolve_missing(data::RawRows& rows, const ModelDescription& description, bool may_drop) {
  if (!rows.table || rows.table->missing.total == 0) return 0;
  data::MissingValues missing = description.missing;
  std::string advice;
  if (missing.strategy == data::MissingStrategy::drop && !may_drop) {
    missing.strategy = data::MissingStrategy::error;
    advice = "; the model was trained with --missing drop, but every row needs a prediction";
  } else if (missing.strategy == data::MissingStrategy::error) {
    advice =
        "; the model has no values to fill them with: it was trained with --missing error "
        "(--missing mean or median stores some)";
  }
  return missing.resolve(*rows.table, rows.path, advice);
}

std::optional<data::Standardization> standardization_of(const ModelDescription& description) {
  if (description.mean.empty()) return std::nullopt;
  return data::Standardization{description.mean, description.scale};
}

Matrix<double> model_inputs(data::RawRows rows, const ModelDescription& description) {
  Matrix<double> features = rows.table ? std::move(rows.table->features) : data::features_of(rows);
  if (rows.table && description.pixel_scale != 1) features /= description.pixel_scale;
  if (const auto standardization = standardization_of(description))
    standardization->apply(features);
  return features;
}

}  // namespace scratchnet::io
