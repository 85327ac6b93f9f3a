#include "eval_command.hpp"

#include <iostream>

#include "evaluation_output.hpp"
#include "float_digits.hpp"
#include "scratchnet/data/classes.hpp"
#include "scratchnet/data/data_error.hpp"
#include "scratchnet/io/model_inputs.hpp"
#include "scratchnet/training/factories.hpp"
#include "scratchnet/training/label_units.hpp"

namespace scratchnet::cli {

EvalCommand::EvalCommand(CLI::App& parent)
    : Command(parent, "eval", "Measure a model file on labelled data") {
  command_->add_option("MODEL", model_, "A model file (safetensors)")->required();
  command_
      ->add_option("DATA", data_, "A CSV file, an IDX images file, or fashion-mnist (its test set)")
      ->required();
  add_value("--labels", labels_, "PATH", "The IDX labels file for IDX images in DATA");
  csv_.add_to(*command_,
              "the column named as the model's label; the last for a model that names none");
  model_flags_.add_to(*command_);
  add_switch("--json", json_,
             "Print one JSON object: loss, accuracy, confusion (classification) or loss, mse, "
             "mae, r2 (regression)");
}

void EvalCommand::check_flags() const {
  model_flags_.check();
  csv_.options();
}

void EvalCommand::run(std::ostream& out) {
  check_flags();
  io::LoadedModel<double> loaded = model_flags_.load(model_);
  io::ModelDescription& description = loaded.description;
  const data::DataSource source = data_source_for(data_, labels_, csv_.options(), description);
  data::RawRows rows = data::read_rows(source);
  if (const auto warning = io::unnamed_columns_warning(rows, description))
    std::cerr << "scratchnet: warning: " << *warning << "\n";
  if (const Index dropped = io::resolve_missing(rows, description, /*may_drop=*/true)) {
    std::cerr << "scratchnet: note: " << rows.path << ": left out " << dropped
              << " rows with missing values, as the model's training did\n";
  }
  require_model_features(rows, loaded.network.inputs());
  if (!rows.has_labels())
    throw std::runtime_error(rows.path + ": no label column to evaluate against");

  const Task task = training::task_of_loss(description.loss);
  if (task != Task::regression && description.classes.empty()) {
    description.classes = data::classes_of(rows);  // a file without scratchnet metadata
  }
  if (task == Task::multiclass && loaded.network.outputs() != Index(description.classes.size())) {
    throw std::runtime_error("the model has " + std::to_string(loaded.network.outputs()) +
                             " outputs but " + rows.path + " has " +
                             std::to_string(description.classes.size()) + " classes");
  }
  Matrix<double> targets = data::targets_of(rows, task, description.classes);
  // The model's outputs are in standardized units: so are the targets it is measured against,
  // and the metrics are then taken back to the label's.
  if (description.target) description.target->apply(targets);
  const std::optional<data::Standardization> scaling = io::standardization_of(description);
  const auto dataset = data::make_dataset<double>(
      std::move(rows), targets, scaling ? &*scaling : nullptr, description.pixel_scale);
  auto loss = training::make_loss<double>(description.loss);
  const Evaluation evaluation = training::in_label_units(
      evaluate(loaded.network, *loss, *dataset, /*batch_size=*/256), description.target);
  if (evaluation.first_non_finite_row) {  // its loss is NaN, its argmax class 0: no metrics
    throw data::DataError(data_, "row " + std::to_string(*evaluation.first_non_finite_row + 1) +
                                     ": the model's output is not finite (" +
                                     std::to_string(evaluation.non_finite_rows) + " of " +
                                     std::to_string(dataset->size()) +
                                     " rows); no metrics can be given");
  }
  if (json_) {
    nlohmann::json json = evaluation_json(evaluation, description.classes);
    if (holds_float32(model_)) use_float_digits(json, {"loss"});  // a float model's loss
    out << json.dump() << "\n";
  } else {
    print_evaluation(out, evaluation, description.classes);
  }
}

}  // namespace scratchnet::cli
