#include "predict_command.hpp"

#include <cmath>
#include <fstream>
#include <iostream>

#include "float_digits.hpp"
#include "output_checks.hpp"
#include "scratchnet/data/data_error.hpp"
#include "scratchnet/data/idx.hpp"
#include "scratchnet/files/atomic_file.hpp"
#include "scratchnet/io/model_inputs.hpp"
#include "scratchnet/text/shortest.hpp"
#include "scratchnet/training/factories.hpp"

namespace scratchnet::cli {
namespace {

// A CSV field: quoted when it holds a comma, a quote or a line break.
std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text)
    quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

// IDX files start with two zero bytes, gzip files with 1f 8b; a CSV file with neither.
bool is_idx_file(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  unsigned char magic[2] = {0xff, 0xff};
  file.read(reinterpret_cast<char*>(magic), 2);
  return file && ((magic[0] == 0 && magic[1] == 0) || (magic[0] == 0x1f && magic[1] == 0x8b));
}

// Rows to predict on: a CSV file (label column optional), IDX images (labels not needed), or
// Fashion-MNIST's test images.
data::RawRows unlabelled_rows(const std::string& path, data::CsvOptions csv, Index inputs) {
  // (csv comes from io::csv_options_for: the model's columns by name, missing cells counted.)
  data::RawRows rows;
  if (path == "fashion-mnist") return data::read_rows({path, "", csv, /*test_set=*/true});
  rows.path = path;
  if (is_idx_file(path)) {
    data::IdxArray images = data::read_idx(path);
    data::LabelledImages labelled;
    labelled.rows = images.dims[0];
    labelled.features = images.dims[0] == 0 ? 0 : Index(images.values.size()) / images.dims[0];
    labelled.image_dims.assign(images.dims.begin() + 1, images.dims.end());
    labelled.pixels = std::move(images.values);
    labelled.labels.assign(std::size_t(labelled.rows), 0);
    rows.images = std::move(labelled);
    return rows;
  }
  csv.expected_features = inputs;
  rows.table = data::read_csv(path, csv);
  return rows;
}

}  // namespace

PredictCommand::PredictCommand(CLI::App& parent)
    : Command(parent, "predict", "Apply a model file to data and write its predictions as CSV") {
  command_->add_option("MODEL", model_, "A model file (safetensors)")->required();
  command_
      ->add_option("DATA", data_, "A CSV file, an IDX images file, or fashion-mnist (its test set)")
      ->required();
  add_value("--out", out_, "FILE", "Write the CSV here (atomically) instead of to standard output");
  add_switch("--allow-nonfinite", allow_nonfinite_,
             "Write a row whose outputs are NaN or infinite as nan (prediction empty) and count "
             "such rows on standard error, instead of stopping with an error");
  csv_.add_to(*command_,
              "the column named as the model's label; for a model that names none, the last "
              "when the rows have one column more than the model has inputs");
  model_flags_.add_to(*command_);
}

void PredictCommand::check_flags() const {
  model_flags_.check();
  csv_.options();
}

// Refuses, before the model or the data is read, an --out that cannot be written or that is
// the same file as MODEL or DATA (output_checks.hpp).
void PredictCommand::check_paths() const {
  check_output_files({{"--out", out_}});
  refuse_same_file({{"MODEL", model_}, {"DATA", data_}}, {{"--out", out_}});
}

void PredictCommand::run(std::ostream& out) {
  check_flags();
  check_paths();
  io::LoadedModel<double> loaded = model_flags_.load(model_);
  const io::ModelDescription& description = loaded.description;
  Sequential<double>& model = loaded.network;
  data::RawRows rows =
      unlabelled_rows(data_, io::csv_options_for(csv_.options(), description), model.inputs());
  if (const auto warning = io::unnamed_columns_warning(rows, description))
    std::cerr << "scratchnet: warning: " << *warning << "\n";
  io::resolve_missing(rows, description, /*may_drop=*/false);
  require_model_features(rows, model.inputs());
  const std::string rows_path = rows.path;
  const Matrix<double> features = io::model_inputs(std::move(rows), description);

  // Computed in double, shown with the digits of the model's own precision: a float32 model's
  // outputs have no more.
  std::string (*const number)(double) = holds_float32(model_) ? &shortest_float : &shortest;
  const Task task = training::task_of_loss(description.loss);
  std::vector<std::string> classes = description.classes;
  if (task != Task::regression && classes.empty()) {
    for (Index c = 0; c < (task == Task::binary ? 2 : model.outputs()); ++c) {
      classes.push_back(std::to_string(c));  // a file without metadata: classes by index
    }
  }
  std::string text = "prediction";
  for (const std::string& name : classes)
    text.append(",").append(csv_field(name));
  text += "\n";

  constexpr Index kBatch = 256;
  Index non_finite_rows = 0;
  model.eval();
  Eigen::VectorXd probability(Index(classes.size()));  // one row's, reused for every row
  for (Index first = 0; first < features.rows(); first += kBatch) {
    const Index count = std::min(kBatch, features.rows() - first);
    const auto output = model.forward(features.middleRows(first, count));
    for (Index row = 0; row < count; ++row) {
      // No argmax of NaN: a row without finite outputs has no prediction.
      if (!output.row(row).allFinite()) {
        if (!allow_nonfinite_) {
          Index column = 0;
          while (std::isfinite(output(row, column)))
            ++column;
          throw data::DataError(rows_path, "row " + std::to_string(first + row + 1) +
                                               ": the model's output is not finite (" +
                                               shortest(output(row, column)) +
                                               "); nothing written (--allow-nonfinite writes "
                                               "such rows as nan)");
        }
        ++non_finite_rows;
        text += task == Task::regression ? "nan" : "";
        for (std::size_t c = 0; c < classes.size(); ++c)
          text += ",nan";
        text += "\n";
        continue;
      }
      if (task == Task::regression) {
        const double value = output(row, 0);
        text += number(description.target ? description.target->undo(value) : value) + "\n";
        continue;
      }
      // Probabilities from logits: softmax over the classes, or σ for a binary model's one logit.
      if (task == Task::binary) {
        probability(1) = 1 / (1 + std::exp(-output(row, 0)));
        probability(0) = 1 - probability(1);
      } else {
        probability = (output.row(row).array() - output.row(row).maxCoeff()).exp().transpose();
        probability /= probability.sum();
      }
      Index predicted = 0;
      probability.maxCoeff(&predicted);
      text += csv_field(classes.at(std::size_t(predicted)));
      for (double p : probability)
        text.append(",").append(number(p));
      text += "\n";
    }
  }
  if (non_finite_rows > 0) {
    std::cerr << "scratchnet: warning: " << rows_path << ": " << non_finite_rows << " of "
              << features.rows() << " rows have outputs that are not finite; written as nan\n";
  }
  if (out_.empty()) {
    out << text;
  } else {
    files::write_file_atomically(out_, text);
  }
}

}  // namespace scratchnet::cli
