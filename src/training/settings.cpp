#include "scratchnet/training/settings.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <nlohmann/json.hpp>

#include "scratchnet/io/metadata_json.hpp"
#include "scratchnet/io/safetensors.hpp"
#include "scratchnet/model/layer_spec.hpp"
#include "scratchnet/optimizers/adam.hpp"
#include "scratchnet/optimizers/adamw.hpp"
#include "scratchnet/optimizers/rmsprop.hpp"
#include "scratchnet/optimizers/sgd.hpp"
#include "scratchnet/text/one_line.hpp"
#include "scratchnet/text/shortest.hpp"
#include "scratchnet/training/default_learning_rates.hpp"

namespace scratchnet::training {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(TrainSettings, layers, loss, optimizer, lr, momentum, nesterov,
                                   weight_decay, schedule, step_size, gamma, warmup, clip, batch,
                                   epochs, seed, val_split, shuffle, patience, dtype, normalize,
                                   missing, normalize_target)

namespace {

// The whole-number settings and the ranges their flags accept.
struct WholeRange {
  const char* key;
  std::int64_t minimum, maximum;
};
constexpr WholeRange kWholeRanges[] = {{"step_size", 0, kMaxEpochs}, {"warmup", 0, kMaxEpochs},
                                       {"batch", 1, kMaxBatch},      {"epochs", 1, kMaxEpochs},
                                       {"seed", 0, 4'294'967'295LL}, {"patience", 0, kMaxEpochs}};
constexpr const char* kTextKeys[] = {"layers", "loss",      "optimizer", "schedule",
                                     "dtype",  "normalize", "missing",   "normalize_target"};
// Keys that files written before them lack: such a file's run had their default.
constexpr const char* kLaterKeys[] = {"missing", "normalize_target"};
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

// A JSON value as a message quotes it: compact, and cut short when long.
std::string quoted_json(const nlohmann::json& value) {
  std::string text = value.dump(-1, ' ', /*ensure_ascii=*/true);
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

std::optional<SettingProblem> choice_problem(const std::string& key, const std::string& value,
                                             std::initializer_list<const char*> choices) {
  std::string listed;
  for (const char* option : choices) {
    if (value == option) return std::nullopt;
    listed += listed.empty() ? option : std::string(", ") + option;
  }
  return SettingProblem{key, "expected one of " + listed + ", got '" + value + "'"};
}

std::optional<SettingProblem> number_problem(const std::string& key, double value, double minimum,
                                             const std::string& range) {
  if (std::isfinite(value) && value >= minimum) return std::nullopt;
  return SettingProblem{key, "must be " + range + ", got " + shortest(value)};
}

// The first setting that is not one of its choices or not a number in its range.
std::optional<SettingProblem> value_problem(const TrainSettings& settings) {
  for (const auto& problem :
       {choice_problem("loss", settings.loss, {"ce", "bce", "mse", "sse"}),
        choice_problem("optimizer", settings.optimizer, {"sgd", "adam", "adamw", "rmsprop"}),
        number_problem("lr", settings.lr, 0, "a finite number >= 0"),
        number_problem("momentum", settings.momentum, 0, "a finite number >= 0"),
        settings.weight_decay == -1
            ? std::nullopt
            : number_problem("weight_decay", settings.weight_decay, 0,
                             "a finite number >= 0 (or -1: the optimizer's default)"),
        choice_problem("schedule", settings.schedule, {"constant", "step", "cosine"}),
        number_problem("gamma", settings.gamma, 0, "a finite number >= 0"),
        number_problem("clip", settings.clip, 0, "a finite number >= 0"),
        choice_problem("dtype", settings.dtype, {"f32", "f64"}),
        choice_problem("normalize", settings.normalize, {"", "standard", "none"}),
        choice_problem("missing", settings.missing, {"error", "drop", "mean", "median"}),
        choice_problem("normalize_target", settings.normalize_target, {"", "standard", "none"})}) {
    if (problem) return problem;
  }
  if (!(settings.val_split >= 0 && settings.val_split < 1)) {
    return SettingProblem{
        "val_split", "must be a number from 0 to below 1, got " + shortest(settings.val_split)};
  }
  for (const WholeRange& range : kWholeRanges) {
    const std::int64_t value = whole_value(settings, range.key);
    if (value < range.minimum || value > range.maximum) {
      return SettingProblem{range.key, whole_range_text(range) + ", got " + std::to_string(value)};
    }
  }
  return std::nullopt;
}

// Throws, naming the first key of `json` that is missing, unknown or not of its JSON type.
void check_keys_and_types(nlohmann::json& json,
                          const std::function<void(const std::string&, const std::string&)>& bad) {
  const nlohmann::json known = nlohmann::json(TrainSettings{});
  for (const auto& entry : json.items()) {
    if (!known.contains(entry.key())) bad("", "unknown key " + quoted_json(entry.key()));
  }
  for (const char* key : kLaterKeys) {
    if (!json.contains(key)) json[key] = known[key];
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
}

}  // namespace

std::string TrainSettings::to_json() const {
  return nlohmann::json(*this).dump();
}

TrainSettings TrainSettings::resolved(bool standardized, bool target_standardized) const {
  TrainSettings settings = *this;
  if (settings.lr == 0) settings.lr = default_learning_rate(settings.optimizer);
  if (settings.weight_decay < 0) {
    settings.weight_decay = optimizer == "adamw"     ? AdamWOptions{}.weight_decay
                            : optimizer == "adam"    ? AdamOptions{}.weight_decay
                            : optimizer == "rmsprop" ? RmspropOptions{}.weight_decay
                                                     : SgdOptions{}.weight_decay;
  }
  // As make_schedule reads it: the step schedule's step size; the others have none.
  if (settings.schedule == "step" && settings.step_size == 0)
    settings.step_size = std::max(1, settings.epochs / 3);
  if (settings.normalize.empty()) settings.normalize = standardized ? "standard" : "none";
  if (settings.normalize_target.empty())
    settings.normalize_target = target_standardized ? "standard" : "none";
  return settings;
}

std::string final_activation_problem(const std::string& spec, const std::string& loss) {
  const bool ce = loss == "ce";
  if (!ce && loss != "bce") return "";
  std::vector<SpecEntry> entries;
  try {
    entries = parse_layer_spec(spec);
  } catch (const SpecError&) {
    return "";
  }
  // The last layer that computes: a Dropout after it is the identity in evaluation.
  auto last = entries.rbegin();
  while (last != entries.rend() && last->layers.back().kind == "Dropout")
    ++last;
  if (last == entries.rend() || last->layers.back().kind != (ce ? "Softmax" : "Sigmoid")) return "";
  last->layers.pop_back();
  if (last->layers.empty()) entries.erase(std::next(last).base());
  const std::string activation = ce ? "softmax" : "sigmoid";
  const std::string fixed = entries.empty() ? "" : " ('" + format_layer_spec(entries) + "')";
  return "ends in " + activation + ", but the " + loss + " loss applies the " + activation +
         " itself (" + (ce ? "cross-entropy of logits" : "binary cross-entropy with logits") +
         "), so it would be applied twice; drop the final " + activation + fixed +
         ": predict outputs probabilities anyway";
}

std::string quoted_key(const std::string& key) {
  return "'" + key + "'";
}

std::optional<SettingProblem> problem_of(const TrainSettings& settings, SettingName name) {
  if (!settings.layers.empty()) {
    try {
      parse_layer_spec(settings.layers);
    } catch (const SpecError& error) {
      return SettingProblem{"layers", error.what()};
    }
  }
  if (auto problem = value_problem(settings)) return problem;
  if (std::string twice = final_activation_problem(settings.layers, settings.loss); !twice.empty())
    return SettingProblem{"layers", std::move(twice)};
  if (settings.warmup >= settings.epochs && settings.warmup > 0) {
    return SettingProblem{"warmup", "must be fewer epochs than " + name("epochs")};
  }
  if (settings.normalize_target == "standard" && settings.loss != "mse" && settings.loss != "sse") {
    return SettingProblem{"normalize_target",
                          "standard is for a regression loss (mse, sse), not " + settings.loss};
  }
  if (settings.nesterov && settings.momentum == 0) {
    return SettingProblem{"nesterov", "needs " + name("momentum")};
  }
  return std::nullopt;
}

TrainSettings TrainSettings::from_json(const std::string& text, const std::string& path) {
  const auto bad = [&](const std::string& key, const std::string& problem) {
    throw io::FormatError(on_one_line(
        path + ": metadata 'options': " + (key.empty() ? "" : quoted_key(key) + " ") + problem));
  };
  nlohmann::json json =
      io::parse_metadata_json(text, path, "options", "not a JSON object of training settings");
  if (!json.is_object()) bad("", "not a JSON object of training settings");
  check_keys_and_types(json, bad);
  const TrainSettings settings = json.get<TrainSettings>();
  if (settings.layers.empty()) bad("layers", "is empty");
  if (const auto problem = problem_of(settings, quoted_key)) bad(problem->key, problem->problem);
  return settings;
}

}  // namespace scratchnet::training
