#include "info_command.hpp"

#include <functional>
#include <optional>
#include <set>
#include <sstream>

#include "scratchnet/io/metadata_json.hpp"
#include "scratchnet/io/model_file.hpp"
#include "scratchnet/io/safetensors.hpp"
#include "scratchnet/text/one_line.hpp"
#include "scratchnet/text/shortest.hpp"

namespace scratchnet::cli {
namespace {

// Every text below comes from the file: on_one_line keeps its control characters (an escape
// sequence, a carriage return) from reaching the terminal.
std::string shown(std::string_view text) {
  return on_one_line(text);
}

std::string joined(const std::vector<std::string>& names, std::size_t most = 20) {
  std::string text;
  for (std::size_t i = 0; i < names.size() && i < most; ++i)
    text += (i ? ", " : "") + shown(names[i]);
  if (names.size() > most) text += ", … (" + std::to_string(names.size()) + " in all)";
  return text;
}

// The training facts indented, one line each escaped. The JSON's depth is bounded
// (parse_metadata_json), so the indentation, and the output, stay linear in the text's size.
std::string indented(const nlohmann::json& json) {
  std::istringstream lines(json.dump(2));
  std::string text, line;
  while (std::getline(lines, line))
    text += (text.empty() ? "" : "\n") + shown(line);
  return text;
}

}  // namespace

InfoCommand::InfoCommand(CLI::App& parent)
    : Command(parent, "info", "Describe a model or checkpoint file") {
  command_->add_option("MODEL", model_, "A model or checkpoint file (safetensors)")->required();
}

void InfoCommand::run(std::ostream& out) {
  // Everything is read and checked before the first line is printed: a bad file gives its one
  // error line and no half description.
  const io::SafetensorsFile file = io::read_safetensors(model_);
  const bool described = file.metadata.find("spec") != file.metadata.end();
  std::optional<io::LoadedModel<double>> loaded;
  nlohmann::json training;
  if (described) {
    loaded.emplace(io::load_model<double>(model_));
    if (!loaded->description.training_json.empty())
      training = io::parse_metadata_json(loaded->description.training_json, model_, "training");
  }

  // Buffers (running statistics) are the model's state but not its parameters: counted apart.
  std::set<std::string, std::less<>> buffer_names;
  if (loaded) {
    for (const NamedBuffer& buffer : loaded->network.named_buffers())
      buffer_names.insert(buffer.name);
  }

  out << shown(model_) << "\n";
  std::int64_t values = 0, buffer_values = 0;
  out << "tensors:\n";
  for (const io::TensorRecord& tensor : file.tensors) {
    out << "  " << shown(tensor.name) << "  " << io::dtype_name(tensor.dtype) << " "
        << io::shape_text(tensor.shape) << "\n";
    if (buffer_names.count(tensor.name) > 0) {
      buffer_values += io::element_count(tensor.shape);
    } else if (!io::is_training_state(tensor.name)) {
      values += io::element_count(tensor.shape);
    }
  }
  out << "parameters: " << values << "\n";
  if (!buffer_names.empty()) out << "buffers: " << buffer_values << "\n";
  if (!described) {
    out << "no scratchnet metadata: give its architecture with --layers to eval or predict\n";
    return;
  }
  const io::ModelDescription& description = loaded->description;
  out << "architecture: " << description.inputs << " inputs";
  const Shape& input_shape = loaded->network.input_shape();
  if (!input_shape.is_flat()) out << " of shape " << input_shape.text();
  for (std::size_t i = 0; i < loaded->network.size(); ++i) {
    auto& layer = loaded->network.layer(i);
    out << " -> " << layer.name();
    for (const ParameterShape& shape : layer.parameter_shapes()) {
      if (shape.name == "weight") out << "(" << shape.shape[1] << ", " << shape.shape[0] << ")";
    }
  }
  out << "\nspec: " << shown(description.spec) << "\n";
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
  if (!description.label_name.empty()) out << "label: " << shown(description.label_name) << "\n";
  if (io::is_checkpoint(file)) {
    const auto value = [&](const std::string& key) {
      const auto found = file.metadata.find(key);
      return found == file.metadata.end() ? std::string("unknown") : shown(found->second);
    };
    out << "checkpoint: epoch " << value("epoch") << ", optimizer " << value("optimizer") << "\n";
  }
  if (!description.training_json.empty()) out << "training: " << indented(training) << "\n";
}

}  // namespace scratchnet::cli
