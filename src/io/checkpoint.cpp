#include "scratchnet/io/checkpoint.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <stdexcept>

#include "scratchnet/files/atomic_file.hpp"
#include "scratchnet/io/metadata_json.hpp"
#include "scratchnet/random.hpp"
#include "scratchnet/text/shortest.hpp"

namespace scratchnet::io {
namespace {

namespace fs = std::filesystem;

// 2: checkpoints carry their run's identity ("run_id", "data"); a version-1 file cannot say
// which run it belongs to.
constexpr const char* kCheckpointVersion = "2";
// A header longer than read_safetensors accepts is not one to look into.
constexpr std::uint64_t kMaxHeader = 100'000'000;
constexpr std::string_view kPrefix = "checkpoint-epoch-";
constexpr std::string_view kSuffix = ".safetensors";
constexpr std::string_view kBatchMarker = "-batch-";
constexpr std::string_view kStatePrefix = "optimizer.";
// The weights of early stopping's best epoch, a flat vector laid out as the parameters.
constexpr std::string_view kBestWeights = "trainer.best_weights";

const std::string& required(const std::map<std::string, std::string>& metadata,
                            const std::string& key, const std::string& path) {
  const auto found = metadata.find(key);
  if (found == metadata.end()) metadata_error(path, key, "missing");
  return found->second;
}

// A whole decimal number for the whole of `text`, or nullopt.
template <typename Number>
std::optional<Number> number(const std::string& text) {
  Number value{};
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// Where a file named checkpoint-epoch-N.safetensors or checkpoint-epoch-N-batch-B.safetensors
// stands (N and B all digits): (N, B), B = 0 for the first; nullopt for any other name.
std::optional<std::pair<int, Index>> position_of(const std::string& name) {
  if (!name.starts_with(kPrefix) || !name.ends_with(kSuffix)) return std::nullopt;
  std::string epoch = name.substr(kPrefix.size(), name.size() - kPrefix.size() - kSuffix.size());
  std::string batch = "0";
  if (const std::size_t marker = epoch.find(kBatchMarker); marker != std::string::npos) {
    batch = epoch.substr(marker + kBatchMarker.size());
    epoch.resize(marker);
  }
  const auto digits = [](const std::string& text) {
    return !text.empty() &&
           std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  if (!digits(epoch) || !digits(batch)) return std::nullopt;
  const auto epoch_number = number<int>(epoch);
  const auto batch_number = number<Index>(batch);
  if (!epoch_number || !batch_number) return std::nullopt;
  return std::pair(*epoch_number, *batch_number);
}

// EpochProgress as metadata "inside_epoch" holds it: its epoch and random_state are the
// checkpoint's own ("epoch" + 1, "random_state").
std::string inside_epoch_json(const EpochProgress& progress) {
  return nlohmann::json{{"batches_done", progress.batches_done},
                        {"start_random_state", progress.start_random_state},
                        {"weighted_loss", shortest(progress.weighted_loss)},
                        {"correct", progress.correct},
                        {"predictions", progress.predictions},
                        {"absolute_error", shortest(progress.absolute_error)},
                        {"seconds", shortest(progress.seconds)}}
      .dump();
}

// BestEpoch as metadata "best_epoch" holds it.
std::string best_epoch_json(const BestEpoch& best) {
  return nlohmann::json{{"epoch", best.epoch},
                        {"val_loss", shortest(best.val_loss)},
                        {"epochs_since", best.epochs_since}}
      .dump();
}

BestEpoch read_best_epoch(const std::string& text, const std::string& path) {
  const auto bad = [&](const std::string& problem) { metadata_error(path, "best_epoch", problem); };
  const nlohmann::json json = parse_metadata_json(text, path, "best_epoch", "not a JSON object");
  if (!json.is_object()) bad("not a JSON object");
  const auto whole = [&](const char* key, int minimum) {
    if (!json.contains(key) || !json[key].is_number_integer() ||
        json[key].get<std::int64_t>() < minimum ||
        json[key].get<std::int64_t>() > std::numeric_limits<int>::max()) {
      bad(std::string("'") + key + "' must be a whole number >= " + std::to_string(minimum));
    }
    return int(json[key].get<std::int64_t>());
  };
  BestEpoch best;
  best.epoch = whole("epoch", 1);
  best.epochs_since = whole("epochs_since", 0);
  const auto loss = json.contains("val_loss") && json["val_loss"].is_string()
                        ? number<double>(json["val_loss"].get<std::string>())
                        : std::nullopt;
  if (!loss || !std::isfinite(*loss)) bad("'val_loss' must be a finite number");
  best.val_loss = *loss;
  return best;
}

EpochProgress read_inside_epoch(const std::string& text, const CheckpointState& state,
                                const std::string& path) {
  const auto bad = [&](const std::string& problem) {
    metadata_error(path, "inside_epoch", problem);
  };
  const nlohmann::json json = parse_metadata_json(text, path, "inside_epoch", "not a JSON object");
  if (!json.is_object()) bad("not a JSON object");
  const auto whole = [&](const char* key, std::int64_t minimum) {
    if (!json.contains(key) || !json[key].is_number_integer() ||
        json[key].get<std::int64_t>() < minimum) {
      bad(std::string("'") + key + "' must be a whole number >= " + std::to_string(minimum));
    }
    return json[key].get<std::int64_t>();
  };
  const auto decimal = [&](const char* key) {
    const auto value = json.contains(key) && json[key].is_string()
                           ? number<double>(json[key].get<std::string>())
                           : std::nullopt;
    if (!value || !std::isfinite(*value)) bad(std::string("'") + key + "' must be a finite number");
    return *value;
  };
  EpochProgress progress;
  progress.epoch = state.epoch + 1;
  progress.batches_done = whole("batches_done", 1);
  progress.correct = whole("correct", 0);
  progress.predictions = whole("predictions", 0);
  progress.weighted_loss = decimal("weighted_loss");
  // Checkpoints written before the training MAE was kept have none: the MAE of such an epoch
  // counts only its batches after the resume.
  progress.absolute_error = json.contains("absolute_error") ? decimal("absolute_error") : 0;
  progress.seconds = decimal("seconds");
  if (!json.contains("start_random_state") || !json["start_random_state"].is_string()) {
    bad("'start_random_state' missing");
  }
  progress.start_random_state = json["start_random_state"].get<std::string>();
  try {
    Random(0).restore(progress.start_random_state);
  } catch (const std::invalid_argument& error) {
    bad(std::string("'start_random_state': ") + error.what());
  }
  progress.random_state = state.random_state;
  return progress;
}

std::string hex64(std::uint64_t value) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string text(16, '0');
  for (int i = 15; i >= 0; --i, value >>= 4)
    text[std::size_t(i)] = kDigits[value & 15];
  return text;
}

bool lowercase_hex(const std::string& text, std::size_t length) {
  return text.size() == length && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// The data fingerprint as metadata "data" holds it.
std::string data_json(const data::DataFingerprint& data) {
  return nlohmann::json{
      {"rows", data.rows}, {"features", data.features}, {"hash", hex64(data.hash)}}
      .dump();
}

data::DataFingerprint read_data_fingerprint(const std::string& text, const std::string& path) {
  const auto bad = [&](const std::string& problem) { metadata_error(path, "data", problem); };
  const nlohmann::json json =
      parse_metadata_json(text, path, "data", "expected a JSON object of rows, features, hash");
  if (!json.is_object() || json.size() != 3) bad("expected a JSON object of rows, features, hash");
  const auto count = [&](const char* key) {
    if (!json.contains(key) || !json[key].is_number_integer() ||
        json[key].get<std::int64_t>() < 1) {
      bad(std::string("'") + key + "' must be a whole number >= 1");
    }
    return Index(json[key].get<std::int64_t>());
  };
  data::DataFingerprint data;
  data.rows = count("rows");
  data.features = count("features");
  if (!json.contains("hash") || !json["hash"].is_string() ||
      !lowercase_hex(json["hash"].get<std::string>(), 16)) {
    bad("'hash' must be 16 lowercase hex digits");
  }
  data.hash = std::stoull(json["hash"].get<std::string>(), nullptr, 16);
  return data;
}

// `what` of an error about `path`, without the "PATH: " it starts with.
std::string reason(const std::exception& error, const std::string& path) {
  std::string text = error.what();
  if (text.starts_with(path + ": ")) text.erase(0, path.size() + 2);
  return text;
}

// The values of a tensor of training state laid out as the model's parameters: shape [count],
// F32 or F64; `keeper` (the optimizer's name, "the trainer") is named in the errors.
template <typename T>
std::vector<T> flat_values(const TensorRecord& tensor, Index count, const std::string& path,
                           const std::string& keeper) {
  const std::vector<std::int64_t> shape{count};
  if (tensor.shape != shape) {
    throw FormatError(path + ": tensor '" + tensor.name + "' has shape " +
                      shape_text(tensor.shape) + " but " + keeper + " keeps it as " +
                      shape_text(shape));
  }
  if (tensor.dtype != Dtype::F32 && tensor.dtype != Dtype::F64) {
    throw FormatError(path + ": tensor '" + tensor.name + "' has dtype " +
                      std::string(dtype_name(tensor.dtype)) + "; it must be F32 or F64");
  }
  return tensor_values<T>(tensor);
}

}  // namespace

// Every check first, then every change.
template <typename T>
CheckpointState load_checkpoint(const SafetensorsFile& file, const std::string& path,
                                Sequential<T>& model, Optimizer<T>& optimizer,
                                ModelDescription& description, std::vector<T>* best_weights) {
  if (!is_checkpoint(file)) {
    throw FormatError(path + ": not a checkpoint (its metadata has no 'checkpoint' key)");
  }
  ModelDescription stored = read_model_metadata(file.metadata, path);
  CheckpointState state = read_checkpoint_state(file.metadata, path);
  if (stored.inputs != model.inputs()) {
    throw FormatError(path + ": the checkpoint's model takes " + std::to_string(stored.inputs) +
                      " inputs but this one takes " + std::to_string(model.inputs()));
  }
  const Shape stored_shape =
      stored.input_shape.empty() ? Shape(stored.inputs) : Shape(stored.input_shape);
  if (stored_shape != model.input_shape()) {
    throw FormatError(path + ": the checkpoint's model takes samples of shape " +
                      stored_shape.text() + " but this one takes " + model.input_shape().text());
  }
  if (state.optimizer != optimizer.name()) {
    throw std::runtime_error(path + ": the checkpoint was trained with " + state.optimizer +
                             " but this optimizer is " + optimizer.name());
  }
  const ModelState<T> model_state =
      state_values<T>(file, path, {model.named_parameters(), model.named_buffers()}, "the model");

  // The optimizer's buffers: exactly those it keeps, each laid out as the parameters.
  const Index count = model.parameters().size();
  const bool has_state =
      std::any_of(file.tensors.begin(), file.tensors.end(),
                  [](const TensorRecord& t) { return t.name.starts_with(kStatePrefix); });
  std::vector<OptimizerState<T>> buffers;
  std::vector<std::vector<T>> values;
  if (has_state || state.optimizer_steps > 0) {
    optimizer.allocate_state(count);
    buffers = optimizer.state();
  }
  for (const OptimizerState<T>& buffer : buffers) {
    const std::string name = std::string(kStatePrefix) + buffer.name;
    const TensorRecord* tensor = file.find(name);
    const std::vector<std::int64_t> shape{count};
    if (!tensor) {
      throw FormatError(path + ": tensor '" + name + "' is missing (" + state.optimizer +
                        " keeps it, shape " + shape_text(shape) + ")");
    }
    values.push_back(flat_values<T>(*tensor, count, path, state.optimizer));
  }
  for (const TensorRecord& tensor : file.tensors) {
    if (!tensor.name.starts_with(kStatePrefix)) continue;
    const std::string name = tensor.name.substr(kStatePrefix.size());
    if (std::none_of(buffers.begin(), buffers.end(),
                     [&](const OptimizerState<T>& b) { return b.name == name; })) {
      throw FormatError(path + ": tensor '" + tensor.name + "' is not state that " +
                        optimizer.name() + " keeps (with these options)");
    }
  }

  std::vector<T> best;
  if (const TensorRecord* tensor = file.find(std::string(kBestWeights))) {
    // The parameters then the floating buffers; a file written before the buffers were kept
    // has the parameters alone, and a model without buffers has only those anyway.
    const bool parameters_alone = tensor->shape == std::vector<std::int64_t>{count};
    best = flat_values<T>(*tensor, parameters_alone ? count : count + model.buffers().size(), path,
                          "the trainer");
    if (!std::all_of(best.begin(), best.end(), [](T value) { return std::isfinite(value); })) {
      throw FormatError(path + ": tensor '" + tensor->name + "' holds a NaN or infinite value");
    }
  }
  for (const TensorRecord& tensor : file.tensors) {
    if (tensor.name.starts_with("trainer.") && tensor.name != kBestWeights) {
      throw FormatError(path + ": tensor '" + tensor.name + "' is not state the trainer keeps");
    }
  }

  restore_state(model, model_state);
  if (best_weights != nullptr) *best_weights = std::move(best);
  for (std::size_t i = 0; i < buffers.size(); ++i)
    std::copy(values[i].begin(), values[i].end(), buffers[i].values.data());
  optimizer.set_steps(state.optimizer_steps);
  optimizer.set_learning_rate(state.learning_rate);
  description = std::move(stored);
  return state;
}

namespace {

// Restores one checkpoint file.
template <typename T>
CheckpointState load_file(const std::string& path, Sequential<T>& model, Optimizer<T>& optimizer,
                          ModelDescription& description, std::vector<T>* best_weights) {
  return load_checkpoint(read_safetensors(path), path, model, optimizer, description, best_weights);
}

}  // namespace

std::string new_run_id() {
  std::random_device device;
  std::string id;
  for (int i = 0; i < 4; ++i)
    id += hex64(device()).substr(8);  // 32 bits each
  return id;
}

bool is_run_id(const std::string& text) {
  return lowercase_hex(text, 32);
}

std::string checkpoint_run_id(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  unsigned char length_bytes[8] = {};
  if (!file.read(reinterpret_cast<char*>(length_bytes), 8)) return "";
  std::uint64_t length = 0;
  for (int i = 7; i >= 0; --i)
    length = (length << 8) | length_bytes[i];
  std::error_code error;
  const std::uintmax_t size = fs::file_size(path, error);
  if (error || length > kMaxHeader || length > size - 8) return "";
  std::string header(std::size_t(length), '\0');
  if (!file.read(header.data(), std::streamsize(length))) return "";
  // A header is three levels deep and its strings (metadata values) may be long; anything
  // deeper is no checkpoint of ours.
  nlohmann::json json;
  try {
    json = parse_metadata_json(
        header, path, "header", "not JSON",
        {.max_depth = 3, .max_string_bytes = kMaxHeader, .max_values = kMaxHeader});
  } catch (const FormatError&) {
    return "";
  }
  if (!json.is_object() || !json.contains("__metadata__")) return "";
  const nlohmann::json& metadata = json["__metadata__"];
  if (!metadata.is_object() || !metadata.contains("run_id") || !metadata["run_id"].is_string())
    return "";
  const std::string id = metadata["run_id"].get<std::string>();
  return is_run_id(id) ? id : "";
}

std::vector<std::string> other_runs_checkpoints(const std::string& folder,
                                                const std::string& run_id) {
  std::vector<std::string> others;
  for (const std::string& path : list_checkpoints(folder)) {
    const std::string id = checkpoint_run_id(path);
    if (id.empty() || id != run_id) others.push_back(path);
  }
  return others;
}

int remove_other_runs_checkpoints(const std::string& folder, const std::string& run_id) {
  int removed = 0;
  for (const std::string& path : other_runs_checkpoints(folder, run_id)) {
    std::error_code error;
    if (fs::remove(path, error)) ++removed;
  }
  return removed;
}

std::string checkpoint_file_name(int epoch, Index batches_done) {
  const auto padded = [](std::int64_t value, std::size_t width) {
    std::string digits = std::to_string(value);
    if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
    return digits;
  };
  std::string name = std::string(kPrefix) + padded(epoch, 4);
  if (batches_done > 0) name += std::string(kBatchMarker) + padded(batches_done, 6);
  return name + std::string(kSuffix);
}

std::vector<std::string> list_checkpoints(const std::string& folder) {
  std::error_code error;
  if (!fs::exists(folder, error)) return {};
  if (!fs::is_directory(folder, error)) throw std::runtime_error(folder + ": not a folder");
  std::vector<std::pair<std::pair<int, Index>, std::string>> found;
  fs::directory_iterator entries(folder, error);
  for (; !error && entries != fs::directory_iterator(); entries.increment(error)) {
    const std::string name = entries->path().filename().string();
    const auto position = position_of(name);
    std::error_code type_error;
    if (position && entries->is_regular_file(type_error)) {
      found.emplace_back(*position, (fs::path(folder) / name).string());
    }
  }
  if (error) throw std::runtime_error(folder + ": cannot read the folder: " + error.message());
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a > b; });
  std::vector<std::string> paths;
  for (auto& [position, path] : found)
    paths.push_back(std::move(path));
  return paths;
}

CheckpointState read_checkpoint_state(const std::map<std::string, std::string>& metadata,
                                      const std::string& path) {
  const std::string& version = required(metadata, "checkpoint", path);
  if (version != kCheckpointVersion) {
    metadata_error(
        path, "checkpoint",
        "version '" + version + "' is not one this build reads (" + kCheckpointVersion + ")");
  }
  CheckpointState state;
  state.run_id = required(metadata, "run_id", path);
  if (!is_run_id(state.run_id)) metadata_error(path, "run_id", "expected 32 lowercase hex digits");
  state.data = read_data_fingerprint(required(metadata, "data", path), path);
  const std::string& epoch = required(metadata, "epoch", path);
  const auto epoch_number = number<int>(epoch);
  // The epoch after it (a resume's first, an inside_epoch's) must be an int too.
  if (!epoch_number || *epoch_number < 0 || *epoch_number == std::numeric_limits<int>::max()) {
    metadata_error(path, "epoch",
                   "expected a whole number from 0 to " +
                       std::to_string(std::numeric_limits<int>::max() - 1) + ", got '" + epoch +
                       "'");
  }
  state.epoch = *epoch_number;

  state.random_state = required(metadata, "random_state", path);
  if (!state.random_state.empty()) {
    try {
      Random(0).restore(state.random_state);
    } catch (const std::invalid_argument& error) {
      metadata_error(path, "random_state", error.what());
    }
  }

  state.optimizer = required(metadata, "optimizer", path);
  if (state.optimizer.empty()) metadata_error(path, "optimizer", "empty");
  const std::string& steps = required(metadata, "optimizer_steps", path);
  const auto steps_number = number<std::int64_t>(steps);
  if (!steps_number || *steps_number < 0) {
    metadata_error(path, "optimizer_steps", "expected a whole number >= 0, got '" + steps + "'");
  }
  state.optimizer_steps = *steps_number;
  const std::string& rate = required(metadata, "learning_rate", path);
  const auto rate_number = number<double>(rate);
  if (!rate_number || !std::isfinite(*rate_number) || *rate_number < 0) {
    metadata_error(path, "learning_rate", "expected a finite number >= 0, got '" + rate + "'");
  }
  state.learning_rate = *rate_number;

  state.options_json = required(metadata, "options", path);
  state.history_json = required(metadata, "history", path);
  for (const char* key : {"options", "history"}) {
    const std::string& text = metadata.at(key);
    if (!text.empty()) parse_metadata_json(text, path, key, "not valid JSON", kHistoryLimits);
  }
  if (const auto found = metadata.find("inside_epoch"); found != metadata.end()) {
    state.inside_epoch = read_inside_epoch(found->second, state, path);
  }
  if (const auto found = metadata.find("best_epoch"); found != metadata.end()) {
    state.best_epoch = read_best_epoch(found->second, path);
  }
  return state;
}

template <typename T>
std::string save_checkpoint(const std::string& folder, Sequential<T>& model,
                            Optimizer<T>& optimizer, const ModelDescription& description,
                            const CheckpointState& state,
                            std::type_identity_t<std::span<const T>> best_weights, int keep) {
  if (keep < 1) throw std::invalid_argument("keep must be at least 1, got " + std::to_string(keep));
  if (state.epoch < 0) {
    throw std::invalid_argument("epoch must be >= 0, got " + std::to_string(state.epoch));
  }
  if (!is_run_id(state.run_id)) {
    throw std::invalid_argument("checkpoint state: run_id must be 32 lowercase hex digits");
  }
  if (state.data.rows < 1 || state.data.features < 1) {
    throw std::invalid_argument("checkpoint state: the data fingerprint needs rows and features");
  }
  for (const std::string* text : {&state.options_json, &state.history_json}) {
    if (!text->empty() && !nlohmann::json::accept(*text)) {
      throw std::invalid_argument("checkpoint state: options and history must be JSON text");
    }
  }
  if (!state.random_state.empty()) Random(0).restore(state.random_state);
  if (state.inside_epoch) {
    const EpochProgress& progress = *state.inside_epoch;
    if (progress.epoch != state.epoch + 1 || progress.batches_done < 1 ||
        progress.random_state != state.random_state) {
      throw std::invalid_argument(
          "checkpoint state: inside_epoch must be epoch + 1, after a "
          "batch, with the state's random_state");
    }
    Random(0).restore(progress.start_random_state);
  }

  const Index parameters = model.parameters().size(), buffers = model.buffers().size();
  // The parameters alone: a run resumed from a file written before the buffers were kept.
  const Index given = Index(best_weights.size());
  if (given != 0 && given != parameters + buffers && given != parameters) {
    throw std::invalid_argument("checkpoint state: " + std::to_string(given) +
                                " best weights for a model of " + std::to_string(parameters) +
                                " parameters and " + std::to_string(buffers) + " buffer values");
  }
  if (!std::all_of(best_weights.begin(), best_weights.end(),
                   [](T value) { return std::isfinite(value); })) {
    throw std::invalid_argument("checkpoint state: a best weight is NaN or infinite");
  }

  std::map<std::string, std::string> metadata = model_metadata(model, description);
  std::vector<TensorRecord> tensors = parameter_tensors(model);
  for (TensorRecord& buffer : buffer_tensors(model))
    tensors.push_back(std::move(buffer));
  for (const OptimizerState<T>& buffer : optimizer.state()) {
    const std::span<const T> values(buffer.values.data(), std::size_t(buffer.values.size()));
    tensors.push_back(make_tensor<T>(std::string(kStatePrefix) + buffer.name,
                                     {std::int64_t(values.size())}, values));
  }
  if (!best_weights.empty()) {
    tensors.push_back(make_tensor<T>(std::string(kBestWeights), {std::int64_t(best_weights.size())},
                                     best_weights));
  }
  metadata["checkpoint"] = kCheckpointVersion;
  metadata["run_id"] = state.run_id;
  metadata["data"] = data_json(state.data);
  metadata["epoch"] = std::to_string(state.epoch);
  metadata["random_state"] = state.random_state;
  metadata["optimizer"] = optimizer.name();
  metadata["optimizer_steps"] = std::to_string(optimizer.steps());
  metadata["learning_rate"] = shortest(optimizer.learning_rate());
  metadata["options"] = state.options_json.empty() ? "{}" : state.options_json;
  metadata["history"] = state.history_json.empty() ? "[]" : state.history_json;
  if (state.inside_epoch) metadata["inside_epoch"] = inside_epoch_json(*state.inside_epoch);
  if (state.best_epoch.epoch > 0) metadata["best_epoch"] = best_epoch_json(state.best_epoch);
  const std::string bytes = encode_safetensors(tensors, metadata);

  std::error_code error;
  fs::create_directories(folder, error);
  if (error) throw std::runtime_error(folder + ": cannot create the folder: " + error.message());
  const Index batches_done = state.inside_epoch ? state.inside_epoch->batches_done : 0;
  const std::string path =
      (fs::path(folder) / checkpoint_file_name(state.epoch, batches_done)).string();
  files::write_file_atomically(path, bytes);

  // Only now that the new checkpoint is safely on disk may older ones of this run go, and what
  // killed runs left half-written. Another run's checkpoints are not ours to remove.
  files::remove_stale_temporaries(folder);
  int kept = 0;
  for (const std::string& other : list_checkpoints(folder)) {
    if (other == path) {
      ++kept;
    } else if (checkpoint_run_id(other) == state.run_id) {
      if (kept < keep) {
        ++kept;
      } else {
        fs::remove(other, error);
      }
    }
  }
  return path;
}

template <typename T>
CheckpointState load_checkpoint(const std::string& path_or_folder, Sequential<T>& model,
                                Optimizer<T>& optimizer, ModelDescription& description,
                                std::vector<std::string>& warnings, std::vector<T>* best_weights) {
  std::error_code error;
  if (!fs::is_directory(path_or_folder, error)) {
    return load_file(path_or_folder, model, optimizer, description, best_weights);
  }
  const std::vector<std::string> candidates = list_checkpoints(path_or_folder);
  if (candidates.empty()) {
    throw std::runtime_error(path_or_folder + ": no checkpoint-epoch-*.safetensors in this folder");
  }
  std::vector<std::pair<std::string, std::string>> unreadable;  // path, reason
  for (const std::string& candidate : candidates) {
    try {
      CheckpointState state = load_file(candidate, model, optimizer, description, best_weights);
      for (const auto& [path, why] : unreadable)
        warnings.push_back("checkpoint " + path + " is unreadable (" + why + "); using " +
                           candidate);
      return state;
    } catch (const std::exception& failure) {
      unreadable.emplace_back(candidate, reason(failure, candidate));
    }
  }
  throw std::runtime_error(path_or_folder + ": no checkpoint in this folder loads; the newest, " +
                           unreadable.front().first + ", is unreadable (" +
                           unreadable.front().second + ")");
}

template std::string save_checkpoint<float>(const std::string&, Sequential<float>&,
                                            Optimizer<float>&, const ModelDescription&,
                                            const CheckpointState&, std::span<const float>, int);
template std::string save_checkpoint<double>(const std::string&, Sequential<double>&,
                                             Optimizer<double>&, const ModelDescription&,
                                             const CheckpointState&, std::span<const double>, int);
template CheckpointState load_checkpoint<float>(const SafetensorsFile&, const std::string&,
                                                Sequential<float>&, Optimizer<float>&,
                                                ModelDescription&, std::vector<float>*);
template CheckpointState load_checkpoint<double>(const SafetensorsFile&, const std::string&,
                                                 Sequential<double>&, Optimizer<double>&,
                                                 ModelDescription&, std::vector<double>*);
template CheckpointState load_checkpoint<float>(const std::string&, Sequential<float>&,
                                                Optimizer<float>&, ModelDescription&,
                                                std::vector<std::string>&, std::vector<float>*);
template CheckpointState load_checkpoint<double>(const std::string&, Sequential<double>&,
                                                 Optimizer<double>&, ModelDescription&,
                                                 std::vector<std::string>&, std::vector<double>*);

}  // namespace scratchnet::io
