#include "model_flags.hpp"

#include <stdexcept>

#include "flag_values.hpp"
#include "scratchnet/io/model_inputs.hpp"

namespace scratchnet::cli {

void ModelFlags::add_to(CLI::App& command) {
  command
      .add_option("--layers", layers_,
                  "The architecture of a model file without scratchnet metadata (e.g. one saved "
                  "by PyTorch), as a layer spec")
      ->type_name("SPEC");
  command
      .add_option("--loss", loss_,
                  "The task of such a file: ce, bce, mse or sse (default: ce); scratchnet files "
                  "know their own")
      ->type_name("ce|bce|mse|sse");
  command
      .add_option("--input-shape", input_shape_,
                  "The shape of one sample for such a file whose network takes images (a "
                  "convolutional network saved by PyTorch); scratchnet files know their own")
      ->type_name("C,H,W");
}

void ModelFlags::check() const {
  if (!loss_.empty() && loss_ != "ce" && loss_ != "bce" && loss_ != "mse" && loss_ != "sse") {
    throw FlagError("--loss", "expected one of ce, bce, mse, sse, got '" + loss_ + "'");
  }
  if (!input_shape_.empty()) parse_shape("--input-shape", input_shape_);
}

io::LoadedModel<double> ModelFlags::load(const std::string& path) const {
  check();
  const std::vector<Index> shape = input_shape_.empty()
                                       ? std::vector<Index>{}
                                       : parse_shape("--input-shape", input_shape_).dims();
  io::LoadedModel<double> loaded = io::load_model<double>(path, layers_, shape);
  if (!loaded.has_metadata || loaded.description.loss.empty()) {
    loaded.description.loss = loss_.empty() ? "ce" : loss_;
    // The file does not say its task, so the flag's (or the default's) must fit its outputs.
    const std::string problem = io::loss_fit_problem(
        loaded.description.loss, loaded.network.outputs(), loaded.description.classes.size());
    if (!problem.empty()) {
      throw FlagError("--loss", path + ": " + problem +
                                    (loss_.empty() ? " (ce is the default; give --loss)" : ""));
    }
  }
  return loaded;
}

data::DataSource data_source_for(const std::string& data, const std::string& labels,
                                 data::CsvOptions csv, const io::ModelDescription& model) {
  csv = io::csv_options_for(std::move(csv), model);
  if (data == "fashion-mnist" && !labels.empty()) {
    throw FlagError("--labels", "fashion-mnist brings its own labels");
  }
  return {data, labels, csv, /*test_set=*/true};
}

void require_loss_fits(const std::string& loss, Index outputs, const std::string& path) {
  const std::string problem = io::loss_fit_problem(loss, outputs, /*classes=*/0);
  if (!problem.empty()) throw FlagError("--loss", path + ": " + problem);
}

void require_model_features(const data::RawRows& rows, Index model_inputs) {
  if (rows.features() != model_inputs) {
    throw std::runtime_error("the model takes " + std::to_string(model_inputs) + " features but " +
                             rows.path + " has " + std::to_string(rows.features()));
  }
}

}  // namespace scratchnet::cli
