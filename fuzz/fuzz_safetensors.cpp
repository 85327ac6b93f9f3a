// Fuzzes the safetensors reader (io::read_safetensors) and, on what it accepts, the model-file
// loader (io::load_model) and the checkpoint metadata reader.
//
// Properties checked on every input:
//   - a rejected file gets a FormatError whose message is one line; nothing else is thrown;
//   - an accepted file is consistent: each tensor's bytes are its shape's element count times
//     its dtype's size, the tensors fill the data buffer exactly (8 + header + data = file
//     size), names are unique and none is "__metadata__";
//   - what is read, encoded again (encode_safetensors) and read back, is the same;
//   - a model that load_model accepts holds the file's values, and saving it (the metadata and
//     tensors save_model writes) then loading that gives the same description and values.

#include <cstdint>
#include <cstring>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <type_traits>

#include "harness.hpp"
#include "scratchnet/io/checkpoint.hpp"
#include "scratchnet/io/model_file.hpp"
#include "scratchnet/io/safetensors.hpp"
#include "scratchnet/text/shortest.hpp"

namespace {

using namespace scratchnet;
using fuzz::require;

bool same_tensors(const io::SafetensorsFile& a, const io::SafetensorsFile& b) {
  if (a.metadata != b.metadata || a.tensors.size() != b.tensors.size()) return false;
  for (std::size_t i = 0; i < a.tensors.size(); ++i) {
    const io::TensorRecord &x = a.tensors[i], &y = b.tensors[i];
    if (x.name != y.name || x.dtype != y.dtype || x.shape != y.shape || x.data != y.data)
      return false;
  }
  return true;
}

void check_consistent(const io::SafetensorsFile& file, std::string_view bytes) {
  std::uint64_t header_size = 0;
  for (int i = 7; i >= 0; --i)
    header_size = header_size << 8 | std::uint8_t(bytes[std::size_t(i)]);
  std::uint64_t data_size = 0;
  std::set<std::string> names;
  for (const io::TensorRecord& tensor : file.tensors) {
    require(names.insert(tensor.name).second, "tensor name repeats: " + tensor.name);
    require(tensor.name != "__metadata__", "a tensor is named __metadata__");
    const std::int64_t count = io::element_count(tensor.shape);
    require(std::uint64_t(count) * io::dtype_size(tensor.dtype) == tensor.data.size(),
            "tensor " + tensor.name + ": shape " + io::shape_text(tensor.shape) + " of " +
                std::string(io::dtype_name(tensor.dtype)) + " but " +
                std::to_string(tensor.data.size()) + " bytes");
    data_size += tensor.data.size();
  }
  require(8 + header_size + data_size == bytes.size(),
          "8 + header " + std::to_string(header_size) + " + data " + std::to_string(data_size) +
              " bytes != file size " + std::to_string(bytes.size()));
}

// The first field in which `a` and `b` differ, with both values.
std::string description_difference(const io::ModelDescription& a, const io::ModelDescription& b) {
  const auto list = [](const auto& values) {
    std::string text;
    for (const auto& value : values) {
      if constexpr (std::is_same_v<std::decay_t<decltype(value)>, double>) {
        text += shortest(value) + " ";
      } else {
        text += value + " ";
      }
    }
    return text;
  };
  if (a.spec != b.spec) return "spec '" + a.spec + "' / '" + b.spec + "'";
  if (a.inputs != b.inputs)
    return "inputs " + std::to_string(a.inputs) + " / " + std::to_string(b.inputs);
  if (a.loss != b.loss) return "loss '" + a.loss + "' / '" + b.loss + "'";
  if (a.classes != b.classes) return "classes " + list(a.classes) + "/ " + list(b.classes);
  if (a.mean != b.mean) return "mean " + list(a.mean) + "/ " + list(b.mean);
  if (a.scale != b.scale) return "scale " + list(a.scale) + "/ " + list(b.scale);
  if (a.feature_names != b.feature_names)
    return "feature_names " + list(a.feature_names) + "/ " + list(b.feature_names);
  if (a.label_name != b.label_name)
    return "label_name '" + a.label_name + "' / '" + b.label_name + "'";
  return "training '" + a.training_json + "' / '" + b.training_json + "'";
}

// The model's parameters, in named_parameters() order, as the file's tensors give them.
void check_model_holds_file(Sequential<double>& model, const io::SafetensorsFile& file) {
  const VectorView<double> values = model.parameters();
  for (const NamedParameter& parameter : model.named_parameters()) {
    const io::TensorRecord* tensor = file.find(parameter.name);
    require(tensor != nullptr, "the loaded model has " + parameter.name + ", the file does not");
    const std::vector<double> expected = io::tensor_values<double>(*tensor);
    require(std::memcmp(expected.data(), values.data() + parameter.offset,
                        expected.size() * sizeof(double)) == 0,
            "the loaded model's " + parameter.name + " differs from the file's");
  }
}

void check_model(fuzz::MemoryFile& memory, std::string_view bytes,
                 const io::SafetensorsFile& file) {
  if (file.metadata.count("scratchnet") == 0) return;  // load_model needs a spec
  std::optional<io::LoadedModel<double>> loading;
  try {
    loading.emplace(io::load_model<double>(memory.write(bytes)));
  } catch (const io::FormatError& error) {
    require(fuzz::one_line(error.what()), std::string("multi-line message: ") + error.what());
    return;
  }
  io::LoadedModel<double>& loaded = *loading;
  check_model_holds_file(loaded.network, file);

  // Saved as save_model saves it, it loads back the same.
  const std::string saved =
      io::encode_safetensors(io::parameter_tensors(loaded.network),
                             io::model_metadata(loaded.network, loaded.description));
  io::LoadedModel<double> again = io::load_model<double>(memory.write(saved));
  // save_model writes no training facts ("") as "{}".
  if (loaded.description.training_json.empty() && again.description.training_json == "{}")
    again.description.training_json.clear();
  require(again.description == loaded.description,
          "description changed through save and load: " +
              description_difference(loaded.description, again.description));
  require(again.network.parameters().size() == loaded.network.parameters().size() &&
              std::memcmp(again.network.parameters().data(), loaded.network.parameters().data(),
                          std::size_t(loaded.network.parameters().size()) * sizeof(double)) == 0,
          "parameters changed through save and load");

  if (io::is_checkpoint(file)) {
    try {
      io::read_checkpoint_state(file.metadata, memory.path());
    } catch (const io::FormatError& error) {
      require(fuzz::one_line(error.what()), std::string("multi-line message: ") + error.what());
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fuzz::MemoryFile memory;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  io::SafetensorsFile file;
  try {
    file = io::read_safetensors(memory.write(bytes));
  } catch (const io::FormatError& error) {
    require(fuzz::one_line(error.what()), std::string("multi-line message: ") + error.what());
    return 0;
  }
  check_consistent(file, bytes);

  const std::string encoded = io::encode_safetensors(file.tensors, file.metadata);
  const io::SafetensorsFile again = io::read_safetensors(memory.write(encoded));
  require(same_tensors(file, again), "encode_safetensors(read_safetensors(f)) reads back other");

  check_model(memory, bytes, file);
  return 0;
}
