#include "info_command.hpp"

#include <set>

#include "info_summary.hpp"
#include "scratchnet/io/metadata_json.hpp"
#include "scratchnet/io/model_file.hpp"
#include "scratchnet/io/safetensors.hpp"

namespace scratchnet::cli {
namespace {

using Json = nlohmann::json;

// A metadata value as JSON: a JSON object or list parsed (within the bounds every metadata text
// is read with), anything else as the text it is.
Json metadata_value(const std::string& text, const std::string& path, const std::string& key) {
  if (!text.starts_with('{') && !text.starts_with('[')) return text;
  try {
    return io::parse_metadata_json(text, path, key);
  } catch (const io::FormatError&) {
    return text;
  }
}

// The whole file for programs: its metadata parsed, the training settings resolved, its tensors
// (each marked as a parameter, a buffer or training state) and the counts.
Json file_json(const ModelFileFacts& facts) {
  Json metadata = Json::object();
  for (const auto& [key, value] : facts.file.metadata)
    metadata[key] = metadata_value(value, facts.path, key);
  std::set<std::string, std::less<>> buffer_names;
  if (facts.loaded) {
    for (const NamedBuffer& buffer : facts.loaded->network.named_buffers())
      buffer_names.insert(buffer.name);
  }
  Json tensors = Json::array();
  std::int64_t parameters = 0, buffers = 0;
  for (const io::TensorRecord& tensor : facts.file.tensors) {
    const std::int64_t count = io::element_count(tensor.shape);
    std::string role = "parameter";
    if (buffer_names.contains(tensor.name)) {
      role = "buffer";
      buffers += count;
    } else if (io::is_training_state(tensor.name)) {
      role = "training_state";
    } else {
      parameters += count;
    }
    tensors.push_back({{"name", tensor.name},
                       {"dtype", io::dtype_name(tensor.dtype)},
                       {"shape", tensor.shape},
                       {"role", role}});
  }
  Json result = {{"file", facts.path},
                 {"checkpoint", io::is_checkpoint(facts.file)},
                 {"metadata", std::move(metadata)},
                 {"tensors", std::move(tensors)},
                 {"parameters", parameters},
                 {"buffers", buffers}};
  if (!facts.training.is_null()) {
    result["settings_used"] =
        resolved_settings(facts.training, !facts.loaded->description.mean.empty());
  }
  return result;
}

}  // namespace

InfoCommand::InfoCommand(CLI::App& parent)
    : Command(parent, "info", "Describe a model or checkpoint file") {
  command_->add_option("MODEL", model_, "A model or checkpoint file (safetensors)")->required();
  add_switch("--json", json_,
             "Print one JSON object: the metadata (JSON values parsed), the training settings as "
             "used, the tensors and the parameter counts");
}

void InfoCommand::run(std::ostream& out) {
  // Everything is read and checked before the first line is printed: a bad file gives its one
  // error line and no half description.
  ModelFileFacts facts{model_, io::read_safetensors(model_), std::nullopt, nullptr};
  if (facts.file.metadata.contains("spec")) {
    facts.loaded.emplace(io::load_model<double>(model_));
    if (!facts.loaded->description.training_json.empty()) {
      facts.training =
          io::parse_metadata_json(facts.loaded->description.training_json, model_, "training");
    }
    // A checkpoint's settings are its options (as given: resolved when shown), its epochs its own.
    const auto options = facts.file.metadata.find("options");
    if (io::is_checkpoint(facts.file) && options != facts.file.metadata.end() &&
        (facts.training.is_null() || facts.training == Json::object())) {
      facts.training = {{"settings", io::parse_metadata_json(options->second, model_, "options")}};
    }
  }
  if (json_) {
    // Text from the file is escaped by the JSON writer; bytes that are not UTF-8 are replaced.
    out << file_json(facts).dump(-1, ' ', false, Json::error_handler_t::replace) << "\n";
    return;
  }
  print_summary(out, facts);
}

}  // namespace scratchnet::cli
