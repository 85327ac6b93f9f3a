#pragma once
// Reading a model file for eval and predict: --layers gives the architecture of a file without
// scratchnet metadata (one written by PyTorch), --loss its task (default ce) and --input-shape
// its samples' shape when its network takes images; for such a file the classes are the data's
// sorted distinct labels and no scaling is applied.

#include <string>

#include "command.hpp"
#include "scratchnet/data/labelled_data.hpp"
#include "scratchnet/io/model_file.hpp"

namespace scratchnet::cli {

class ModelFlags {
 public:
  /// Registers --layers, --loss and --input-shape on `command`.
  void add_to(CLI::App& command);

  /// Throws FlagError for a bad --loss or --input-shape.
  void check() const;

  /// The model in `path`, with its description completed from the flags when the file has no
  /// scratchnet metadata. Throws FlagError for a bad --loss, or one (ce by default) that does
  /// not fit the network's outputs.
  io::LoadedModel<double> load(const std::string& path) const;

 private:
  std::string layers_;
  std::string loss_;
  std::string input_shape_;
};

/// The rows `data` names for evaluating or applying a model: "fashion-mnist" means its test
/// set; an IDX images file needs `labels` for eval.
data::DataSource data_source_for(const std::string& data, const std::string& labels,
                                 data::CsvOptions csv, const io::ModelDescription& model);

/// Checks that `loss` fits a network of `outputs` outputs read from `path` (io::loss_fit_problem);
/// throws FlagError naming --loss and the file otherwise.
void require_loss_fits(const std::string& loss, Index outputs, const std::string& path);

/// Checks that `rows` have the model's number of features; throws std::runtime_error otherwise.
void require_model_features(const data::RawRows& rows, Index model_inputs);

}  // namespace scratchnet::cli
