#pragma once
// A trained model as one safetensors file that PyTorch loads as it is: one tensor per
// parameter, named and shaped as torch.nn.Sequential's state_dict names them ("0.weight"
// [out, in], "0.bias" [out], "2.weight", …), F32 for a float model and F64 for a double one;
// after the parameters one tensor per buffer, also under its state_dict name
// ("3.running_mean"): a floating buffer in the parameters' dtype, an integer one (a count) as
// I64; and in __metadata__ (strings only, as the format requires) what it takes to rebuild and
// use it:
//   "format"         "pt" (so safetensors' own tools treat it as a torch file)
//   "scratchnet"     "1", the version of these keys
//   "spec"           the layer spec, "256:relu,128:relu,dropout:0.2,10": the description's, or
//                    when it has none the one model_spec() derives from the layers (left out
//                    only for a model without layers)
//   "inputs"         features per sample, "784"
//   "input_shape"    JSON list, a sample's shape when it is not flat: [1,28,28] for a model
//                    whose first layer takes images (left out for a flat one)
//   "loss"           "ce", "bce", "mse", "sse" or ""
//   "classes"        JSON list of the class names, ["T-shirt", …] ("[]" for none)
//   "pixel_scale"    "255" for a model trained on images: its inputs are pixels divided by it,
//                    the first step of its preprocessing (left out when inputs are taken as
//                    they are)
//   "missing_values" JSON {"strategy": "mean", "fill": […]}: how training treated missing feature
//                    values ("drop", or "mean"/"median" with one fill value per feature, which
//                    prediction writes into a missing cell before standardising); left out for
//                    "error", the default
//   "normalization"  JSON {"mean": […], "scale": […]}: x' = (x − mean) / scale per feature,
//                    after the steps above (left out when there is none)
//   "target_normalization"  JSON {"mean": m, "scale": s}: a regression model trained on
//                    standardized targets y' = (y − m) / s; its output o is o · s + m in the
//                    label's units (left out when the outputs are in the label's units already)
//   "feature_names"  JSON list of the input columns' names ("[]" for none)
//   "label_name"     the label column's name
//   "training"       JSON object of free-form facts about the run (epochs, optimizer, lr, seed, …)
// docs/model-format.md describes the file, and how to load it in PyTorch and back.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "scratchnet/data/missing_values.hpp"
#include "scratchnet/data/target_standardization.hpp"
#include "scratchnet/io/safetensors.hpp"
#include "scratchnet/model/sequential.hpp"

namespace scratchnet::io {

/// What a model file says about its network besides the weights.
struct ModelDescription {
  std::string spec;                // the layer spec, "128:relu,10"
  Index inputs = 0;                // features per sample; save_model writes the model's own
  std::vector<Index> input_shape;  // a sample's shape, [1, 28, 28]; empty when flat; ditto
  std::string loss;                // "ce", "bce", "mse", "sse", or "" when unknown
  std::vector<std::string> classes;
  double pixel_scale = 1;           // inputs are divided by it first (255 for images)
  data::MissingValues missing;      // what training did with missing feature values
  std::vector<double> mean, scale;  // standardisation x' = (x − mean) / scale; empty when none
  /// A regression target's standardisation: the network's outputs are undone by it into the
  /// label's units; none when they are in those units already.
  std::optional<data::TargetStandardization> target;
  std::vector<std::string> feature_names;
  std::string label_name;
  std::string training_json;  // free-form JSON text: epochs, optimizer, lr, seed, accuracy, …
  bool operator==(const ModelDescription&) const = default;
};

/// A model read back from a file.
template <typename T>
struct LoadedModel {
  Sequential<T> network;         // built from the spec, holding the file's parameters and buffers
  ModelDescription description;  // its spec and inputs are the ones the network was built from
  bool has_metadata = false;     // false for a file without scratchnet's keys (torch-written)
};

/// Saves `model` to `path`, atomically (write_file_atomically), as the top of this header
/// describes. Throws std::invalid_argument "PATH: cannot save: …", without touching the file,
/// when a parameter or floating buffer is NaN or infinite, a layer's kind is not in the table of
/// layer kinds (so the file could not be rebuilt), or `description` does not fit the model (a
/// spec that builds other layers or tensors,
/// other inputs, an unknown loss, mean/scale/feature_names/fill values not one per input, a
/// scale or pixel scale that is not a positive normal number, a fill value that is not finite,
/// fill values with a strategy other than mean or median (or none with one of them), training
/// text that is not JSON); std::runtime_error when the file cannot be written.
template <typename T>
void save_model(const std::string& path, Sequential<T>& model, const ModelDescription& description);

/// Loads the model file at `path`. The network is built from the file's "spec" and "inputs";
/// for a file without scratchnet's metadata (safetensors.torch.save_file's) from
/// `spec_override`, its inputs read off the first Linear weight ([out, in]). Given both, the
/// two specs must describe the same network. The file must then hold exactly the network's
/// tensors and buffers ("optimizer.*" tensors aside, in a checkpoint), each with the network's
/// shape, as F32 or F64 (converted to T) and finite, or I64 for an integer buffer. Throws
/// FormatError ("PATH: tensor '2.bias' has shape [4] but the network 3:relu,2 (2 inputs) needs
/// [2]") for any mismatch, bad metadata or no spec at all; read_safetensors's errors for a damaged
/// file; SpecError for a bad `spec_override`. The metadata must agree with itself and the network:
/// the stored loss with the outputs and classes (loss_fit_problem), each normalization scale a
/// positive normal number, a target normalization only for a regression loss, with a finite mean
/// and a positive normal scale, every JSON text within parse_metadata_json's bounds. Time and
/// memory are linear in the file's size (up to a log factor). Returns a whole model or throws:
/// nothing is left half loaded.
/// `input_shape` is a sample's shape for a file without scratchnet metadata (a torch
/// state_dict) whose network takes images, which such a file cannot say; a network of dense
/// layers takes it flat. Without it such a network is refused, and a dense one's inputs come
/// from its first Linear weight. A file with metadata keeps its own shape.
template <typename T>
LoadedModel<T> load_model(const std::string& path, const std::string& spec_override = "",
                          const std::vector<Index>& input_shape = {});

// The pieces of save_model and load_model, which checkpoints share.

/// The model's parameters as F32 (float) or F64 (double) tensors, in named_parameters() order.
/// Throws std::invalid_argument, naming the tensor and element, for a NaN or infinite value.
template <typename T>
std::vector<TensorRecord> parameter_tensors(Sequential<T>& model);

/// The __metadata__ of a model file for `model` and `description`, checked as save_model
/// checks it (std::invalid_argument).
template <typename T>
std::map<std::string, std::string> model_metadata(Sequential<T>& model,
                                                  const ModelDescription& description);

/// What is wrong with training or reading a network of `outputs` outputs with `loss`, knowing
/// `classes` class names (0 when none are stored), or "" when nothing is: bce, mse and sse need
/// exactly 1 output (bce, 2 classes when they are stored); ce at least 2, one per class. A
/// mismatch would read past the outputs or silently use only the first of them.
std::string loss_fit_problem(std::string_view loss, Index outputs, std::size_t classes);

/// The description in a model file's `metadata` (which must have the "scratchnet" key); throws
/// FormatError "PATH: metadata 'KEY': problem" for a value that is not what the key holds.
ModelDescription read_model_metadata(const std::map<std::string, std::string>& metadata,
                                     const std::string& path);

/// Whether `file`'s metadata marks it a checkpoint, whose training-state tensors are not the
/// model's.
bool is_checkpoint(const SafetensorsFile& file);

/// Whether a checkpoint's tensor holds training state rather than a parameter: "optimizer.*"
/// (an optimizer's buffers) or "trainer.*" (early stopping's best weights).
bool is_training_state(std::string_view tensor_name);

/// The model's floating buffers as F32 or F64 tensors and its integer ones as I64, in
/// named_buffers() order. Throws std::invalid_argument, naming the tensor and element, for a
/// NaN or infinite value.
template <typename T>
std::vector<TensorRecord> buffer_tensors(Sequential<T>& model);

/// The tensors a model has: its parameters and buffers, named and placed as
/// Sequential::named_parameters() and named_buffers() give them.
struct ModelTensors {
  std::vector<NamedParameter> parameters;
  std::vector<NamedBuffer> buffers;
};

/// A model's parameter and buffer values, laid out as its flat buffers.
template <typename T>
struct ModelState {
  std::vector<T> parameters;                  // as Sequential::parameters()
  std::vector<T> buffers;                     // as Sequential::buffers()
  std::vector<std::int64_t> integer_buffers;  // as Sequential::integer_buffers()
};

/// The values of the tensors of `file` that `named` lists, laid out as the model's flat buffers.
/// Throws FormatError, naming the tensor and both shapes, unless the file holds exactly those
/// tensors (and training-state ones, in a checkpoint) with those shapes: parameters and floating
/// buffers as finite F32 or F64 values, integer buffers as I64. `network` names the network in
/// those messages ("the network 3:relu,2 (2 inputs)").
template <typename T>
ModelState<T> state_values(const SafetensorsFile& file, const std::string& path,
                           const ModelTensors& named, const std::string& network);

/// Copies `state` into `model`'s parameters and buffers (std::logic_error if it is laid out for
/// another model).
template <typename T>
void restore_state(Sequential<T>& model, const ModelState<T>& state);

}  // namespace scratchnet::io
