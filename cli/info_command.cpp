#include "info_command.hpp"

#include <nlohmann/json.hpp>

#include "scratchnet/io/model_file.hpp"
#include "scratchnet/io/safetensors.hpp"
#include "scratchnet/io/shortest.hpp"

namespace scratchnet::cli {
namespace {

std::string joined(const std::vector<std::string>& names, std::size_t most = 20) {
  std::string text;
  for (std::size_t i = 0; i < names.size() && i < most; ++i)
    text += (i ? ", " : "") + names[i];
  if (names.size() > most) text += ", … (" + std::to_string(names.size()) + " in all)";
  return text;
}

}  // namespace

InfoCommand::InfoCommand(CLI::App& parent)
    : Command(parent, "info", "Describe a model or checkpoint file") {
  command_->add_option("MODEL", model_, "A model or checkpoint file (safetensors)")->required();
}

void InfoCommand::run(std::ostream& out) {
  const io::SafetensorsFile file = io::read_safetensors(model_);
  out << model_ << "\n";
  std::int64_t values = 0;
  out << "tensors:\n";
  for (const io::TensorRecord& tensor : file.tensors) {
    out << "  " << tensor.name << "  " << io::dtype_name(tensor.dtype) << " "
        << io::shape_text(tensor.shape) << "\n";
    if (!io::is_training_state(tensor.name)) values += io::element_count(tensor.shape);
  }
  out << "parameters: " << values << "\n";
  if (file.metadata.find("spec") == file.metadata.end()) {
    out << "no scratchnet metadata: give its architecture with --layers to eval or predict\n";
    return;
  }
  const io::ModelDescription description = io::read_model_metadata(file.metadata, model_);
  const io::LoadedModel<double> loaded = io::load_model<double>(model_);
  out << "architecture: " << description.inputs << " inputs";
  for (std::size_t i = 0; i < loaded.network.size(); ++i) {
    auto& layer = const_cast<Sequential<double>&>(loaded.network).layer(i);
    out << " -> " << layer.name();
    for (const ParameterShape& shape : layer.parameter_shapes()) {
      if (shape.name == "weight") out << "(" << shape.shape[1] << ", " << shape.shape[0] << ")";
    }
  }
  out << "\nspec: " << description.spec << "\n";
  out << "loss: " << (description.loss.empty() ? "unknown" : description.loss) << "\n";
  if (!description.classes.empty()) {
    out << "classes (" << description.classes.size() << "): " << joined(description.classes)
        << "\n";
  }
  if (description.mean.empty()) {
    out << "preprocessing: none\n";
  } else {
    out << "preprocessing: standardisation of " << description.mean.size()
        << " features, (x - mean) / scale, fitted on the training rows\n";
  }
  if (!description.feature_names.empty()) {
    out << "features: " << joined(description.feature_names) << "\n";
  }
  if (!description.label_name.empty()) out << "label: " << description.label_name << "\n";
  if (io::is_checkpoint(file)) {
    out << "checkpoint: epoch " << file.metadata.at("epoch") << ", optimizer "
        << file.metadata.at("optimizer") << "\n";
  }
  if (!description.training_json.empty()) {
    out << "training: " << nlohmann::json::parse(description.training_json).dump(2) << "\n";
  }
}

}  // namespace scratchnet::cli
