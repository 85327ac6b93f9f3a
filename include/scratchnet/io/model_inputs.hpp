#pragma once
// From a file's rows to the inputs a saved model takes, as its training prepared them: the
// columns it learnt from, found by name; missing values treated as training treated them; pixel
// scaling and standardisation applied. Every front end that uses a model file (eval, predict,
// a Python module) goes through here, so that a model is used as it was trained.
//   rows [rows, features] in the file's layout -> inputs [rows, model inputs]

#include <optional>
#include <string>

#include "scratchnet/data/labelled_data.hpp"
#include "scratchnet/io/model_file.hpp"

namespace scratchnet::io {

/// Whether `description` names its features: feature names that are not just the positions
/// "0", "1", … that a file without a header gives.
bool has_feature_names(const ModelDescription& description);

/// `csv` made to read a file for the model: its feature columns matched by name (when it has
/// names), its label column by its stored name when the header has it and `csv` names none (else
/// the last column), missing cells counted
/// rather than refused (resolve_missing() treats them).
data::CsvOptions csv_options_for(data::CsvOptions csv, const ModelDescription& description);

/// A warning for rows read by position for a model that knows its columns by name (a CSV file
/// without a header), or nullopt.
std::optional<std::string> unnamed_columns_warning(const data::RawRows& rows,
                                                   const ModelDescription& description);

/// Treats the missing cells of `rows` as the model's training did: fills them with its stored
/// values, or, when it dropped such rows and `may_drop`, drops them (returning how many);
/// otherwise throws DataError counting them per column ("… the model has no values to fill them
/// with: it was trained with --missing error").
Index resolve_missing(data::RawRows& rows, const ModelDescription& description, bool may_drop);

/// The standardisation the model stores, or nullopt.
std::optional<data::Standardization> standardization_of(const ModelDescription& description);

/// The model's inputs from `rows`, [rows, inputs]: images as pixel/255, a table's values divided
/// by the model's pixel scale, then standardised as the model stores. `rows` must have no
/// missing cells left (resolve_missing()).
Matrix<double> model_inputs(data::RawRows rows, const ModelDescription& description);

}  // namespace scratchnet::io
