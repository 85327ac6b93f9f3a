#pragma once
// What `scratchnet info` prints for people: one screen on a model or checkpoint file, read from
// what the file holds (info_command.cpp reads and checks it first).

#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>

#include "scratchnet/io/model_file.hpp"
#include "scratchnet/io/safetensors.hpp"

namespace scratchnet::cli {

/// A model file as info has read it: the file, the model built from it when it has scratchnet's
/// metadata, and its "training" metadata parsed (null when it has none).
struct ModelFileFacts {
  std::string path;
  io::SafetensorsFile file;
  std::optional<io::LoadedModel<double>> loaded;
  nlohmann::json training;
};

/// The summary: the file and its precision; the layers with each one's output shape and
/// parameter count (as torchsummary shows them); the data (features, label, classes); the
/// preprocessing; the training settings as the run used them (the placeholders of files written
/// before models recorded resolved settings resolved here too); the epochs run and early
/// stopping; the test metrics with the confusion matrix as a table. Every text taken from the
/// file is escaped onto one line (on_one_line).
void print_summary(std::ostream& out, const ModelFileFacts& facts);

/// The training settings of `training` (its "settings" object) with the placeholders of files
/// written before models recorded resolved settings replaced as the run replaced them (lr 0:
/// the optimizer's default; weight_decay -1; step_size 0; normalize "": "standard" when the
/// model standardises its features, else "none"). Values of unexpected types are left as they
/// are; a "settings" that is not an object gives an empty object.
nlohmann::json resolved_settings(const nlohmann::json& training, bool standardized);

}  // namespace scratchnet::cli
