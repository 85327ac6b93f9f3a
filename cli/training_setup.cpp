#include "training_setup.hpp"

#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "flag_values.hpp"
#include "scratchnet/io/metadata_json.hpp"
#include "scratchnet/io/safetensors.hpp"
#include "scratchnet/io/shortest.hpp"
#include "scratchnet/losses/binary_cross_entropy_with_logits.hpp"
#include "scratchnet/losses/mean_squared_error.hpp"
#include "scratchnet/losses/softmax_cross_entropy.hpp"
#include "scratchnet/losses/sum_squared_error.hpp"
#include "scratchnet/optimizers/adam.hpp"
#include "scratchnet/optimizers/adamw.hpp"
#include "scratchnet/optimizers/rmsprop.hpp"
#include "scratchnet/optimizers/sgd.hpp"

namespace scratchnet::cli {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(TrainSettings, layers, loss, optimizer, lr, momentum, nesterov,
                                   weight_decay, schedule, step_size, gamma, warmup, clip, batch,
                                   epochs, seed, val_split, shuffle, patience, dtype, normalize)

namespace {

// The whole-number settings and the ranges their flags accept.
struct WholeRange {
  const char* key;
  std::int64_t minimum, maximum;
};
constexpr WholeRange kWholeRanges[] = {{"step_size", 0, kMaxEpochs}, {"warmup", 0, kMaxEpochs},
                                       {"batch", 1, kMaxBatch},      {"epochs", 1, kMaxEpochs},
                                       {"seed", 0, 4'294'967'295LL}, {"patience", 0, kMaxEpochs}};
constexpr const char* kTextKeys[] = {"layers",   "loss",  "optimizer",
                                     "schedule", "dtype", "normalize"};
constexpr const char* kNumberKeys[] = {"lr",    "momentum", "weight_decay",
                                       "gamma", "clip",     "val_split"};
constexpr const char* kSwitchKeys[] = {"nesterov", "shuffle"};

std::string whole_range_text(const WholeRange& range) {
  return "must be a whole number from " + std::to_string(range.minimum) + " to " +
         std::to_string(range.maximum);
}

std::int64_t whole_value(const TrainSettings& settings, const std::string& key) {
  if (key == "step_size") return settings.step_size;
  if (key == "warmup") return settings.warmup;
  if (key == "batch") return settings.batch;
  if (key == "epochs") return settings.epochs;
  if (key == "seed") return settings.seed;
  return settings.patience;
}

std::string file_key(const std::string& key) {
  return "'" + key + "'";
}

// A JSON value as a message quotes it: compact, and cut short when long.
std::string quoted_json(const nlohmann::json& value) {
  std::string text = value.dump(-1, ' ', /*ensure_ascii=*/true);
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

}  // namespace

std::string TrainSettings::to_json() const {
  return nlohmann::json(*this).dump();
}

std::string flag_of(const std::string& key) {
  if (key == "shuffle") return "--no-shuffle";
  std::string flag = "--" + key;
  for (char& c : flag)
    if (c == '_') c = '-';
  return flag;
}

std::optional<SettingProblem> problem_of(const TrainSettings& settings, SettingName name) {
  const auto choice =
      [](const std::string& key, const std::string& value,
         std::initializer_list<const char*> choices) -> std::optional<SettingProblem> {
    std::string listed;
    for (const char* option : choices) {
      if (value == option) return std::nullopt;
      listed += listed.empty() ? option : std::string(", ") + option;
    }
    return SettingProblem{key, "expected one of " + listed + ", got '" + value + "'"};
  };
  const auto number = [](const std::string& key, double value, double minimum,
                         const std::string& range) -> std::optional<SettingProblem> {
    if (std::isfinite(value) && value >= minimum) return std::nullopt;
    return SettingProblem{key, "must be " + range + ", got " + io::shortest(value)};
  };
  if (!settings.layers.empty()) {
    try {
      parse_layer_spec(settings.layers);
    } catch (const SpecError& error) {
      return SettingProblem{"layers", error.what()};
    }
  }
  for (const auto& problem :
       {choice("loss", settings.loss, {"ce", "bce", "mse", "sse"}),
        choice("optimizer", settings.optimizer, {"sgd", "adam", "adamw", "rmsprop"}),
        number("lr", settings.lr, 0, "a finite number >= 0"),
        number("momentum", settings.momentum, 0, "a finite number >= 0"),
        settings.weight_decay == -1
            ? std::nullopt
            : number("weight_decay", settings.weight_decay, 0,
                     "a finite number >= 0 (or -1: the optimizer's default)"),
        choice("schedule", settings.schedule, {"constant", "step", "cosine"}),
        number("gamma", settings.gamma, 0, "a finite number >= 0"),
        number("clip", settings.clip, 0, "a finite number >= 0"),
        choice("dtype", settings.dtype, {"f32", "f64"}),
        choice("normalize", settings.normalize, {"", "standard", "none"})}) {
    if (problem) return problem;
  }
  if (!(settings.val_split >= 0 && settings.val_split < 1)) {
    return SettingProblem{
        "val_split", "must be a number from 0 to below 1, got " + io::shortest(settings.val_split)};
  }
  for (const WholeRange& range : kWholeRanges) {
    const std::int64_t value = whole_value(settings, range.key);
    if (value < range.minimum || value > range.maximum) {
      return SettingProblem{range.key, whole_range_text(range) + ", got " + std::to_string(value)};
    }
  }
  if (settings.warmup >= settings.epochs && settings.warmup > 0) {
    return SettingProblem{"warmup", "must be fewer epochs than " + name("epochs")};
  }
  if (settings.nesterov && settings.momentum == 0) {
    return SettingProblem{"nesterov", "needs " + name("momentum")};
  }
  return std::nullopt;
}

TrainSettings TrainSettings::from_json(const std::string& text, const std::string& path) {
  const auto bad = [&](const std::string& key, const std::string& problem) {
    throw io::FormatError(on_one_line(
        path + ": metadata 'options': " + (key.empty() ? "" : file_key(key) + " ") + problem));
  };
  const nlohmann::json json =
      io::parse_metadata_json(text, path, "options", "not a JSON object of training settings");
  if (!json.is_object()) bad("", "not a JSON object of training settings");
  const nlohmann::json known = nlohmann::json(TrainSettings{});
  for (const auto& entry : json.items()) {
    if (!known.contains(entry.key())) bad("", "unknown key " + quoted_json(entry.key()));
  }
  for (const auto& entry : known.items()) {
    if (!json.contains(entry.key())) bad(entry.key(), "is missing");
  }
  for (const char* key : kTextKeys) {
    if (!json[key].is_string()) bad(key, "must be text, got " + quoted_json(json[key]));
  }
  for (const char* key : kSwitchKeys) {
    if (!json[key].is_boolean()) bad(key, "must be true or false, got " + quoted_json(json[key]));
  }
  for (const char* key : kNumberKeys) {
    if (!json[key].is_number()) bad(key, "must be a number, got " + quoted_json(json[key]));
  }
  for (const WholeRange& range : kWholeRanges) {
    const nlohmann::json& value = json[range.key];
    const bool in_range = value.is_number_unsigned()
                              ? value.get<std::uint64_t>() <= std::uint64_t(range.maximum) &&
                                    value.get<std::uint64_t>() >= std::uint64_t(range.minimum)
                              : value.is_number_integer() &&
                                    value.get<std::int64_t>() >= range.minimum &&
                                    value.get<std::int64_t>() <= range.maximum;
    if (!in_range) bad(range.key, whole_range_text(range) + ", got " + quoted_json(value));
  }
  const TrainSettings settings = json.get<TrainSettings>();
  if (settings.layers.empty()) bad("layers", "is empty");
  if (const auto problem = problem_of(settings, file_key)) bad(problem->key, problem->problem);
  return settings;
}

std::vector<SpecEntry> parse_layers_flag(const std::string& spec) {
  try {
    return parse_layer_spec(spec);
  } catch (const SpecError& error) {
    throw FlagError("--layers", error.what());
  }
}

Task task_of_loss(const std::string& loss) {
  if (loss == "ce") return Task::multiclass;
  if (loss == "bce") return Task::binary;
  return Task::regression;
}

template <typename T>
std::unique_ptr<Loss<T>> make_loss(const std::string& loss) {
  if (loss == "ce") return std::make_unique<SoftmaxCrossEntropy<T>>();
  if (loss == "bce") return std::make_unique<BinaryCrossEntropyWithLogits<T>>();
  if (loss == "mse") return std::make_unique<MeanSquaredError<T>>();
  if (loss == "sse") return std::make_unique<SumSquaredError<T>>();
  throw std::invalid_argument("unknown loss '" + loss + "'");
}

template <typename T>
std::unique_ptr<Optimizer<T>> make_optimizer(const TrainSettings& settings) {
  const auto chosen = [&](double value, double fallback) { return value > 0 ? value : fallback; };
  const double decay = settings.weight_decay;
  if (settings.optimizer == "sgd") {
    SgdOptions options;
    options.lr = chosen(settings.lr, 0.01);
    options.momentum = settings.momentum;
    options.nesterov = settings.nesterov;
    options.weight_decay = decay < 0 ? 0 : decay;
    return std::make_unique<Sgd<T>>(options);
  }
  if (settings.optimizer == "adam") {
    return std::make_unique<Adam<T>>(
        AdamOptions{.lr = chosen(settings.lr, 1e-3), .weight_decay = decay < 0 ? 0 : decay});
  }
  if (settings.optimizer == "adamw") {
    return std::make_unique<AdamW<T>>(
        AdamWOptions{.lr = chosen(settings.lr, 1e-3), .weight_decay = decay < 0 ? 1e-2 : decay});
  }
  if (settings.optimizer == "rmsprop") {
    RmspropOptions options;
    options.lr = chosen(settings.lr, 1e-2);
    options.momentum = settings.momentum;
    options.weight_decay = decay < 0 ? 0 : decay;
    return std::make_unique<Rmsprop<T>>(options);
  }
  throw std::invalid_argument("unknown optimizer '" + settings.optimizer + "'");
}

LrSchedule make_schedule(const TrainSettings& settings, double base_lr,
                         std::int64_t steps_per_epoch) {
  const std::int64_t warmup = std::int64_t(settings.warmup) * steps_per_epoch;
  const std::int64_t after_warmup =
      std::max<std::int64_t>(1, std::int64_t(settings.epochs - settings.warmup) * steps_per_epoch);
  LrSchedule schedule = LrSchedule::constant(base_lr);
  if (settings.schedule == "step") {
    const int epochs_per_step =
        settings.step_size > 0 ? settings.step_size : std::max(1, settings.epochs / 3);
    schedule = LrSchedule::step(base_lr, epochs_per_step * steps_per_epoch, settings.gamma);
  } else if (settings.schedule == "cosine") {
    schedule = LrSchedule::cosine(base_lr, after_warmup, /*min_lr=*/0);
  }
  return schedule.with_warmup(warmup);
}

template std::unique_ptr<Loss<float>> make_loss<float>(const std::string&);
template std::unique_ptr<Loss<double>> make_loss<double>(const std::string&);
template std::unique_ptr<Optimizer<float>> make_optimizer<float>(const TrainSettings&);
template std::unique_ptr<Optimizer<double>> make_optimizer<double>(const TrainSettings&);

}  // namespace scratchnet::cli
