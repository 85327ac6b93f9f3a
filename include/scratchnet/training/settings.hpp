#pragma once
// The settings of a training run: what it trains (layers, loss), how (optimizer, schedule,
// batches, epochs, seed, split, precision), and the one check of them all, wherever they come
// from (command-line flags, a checkpoint's metadata, another front end's arguments).

#include <cstdint>
#include <optional>
#include <string>

#include "scratchnet/matrix.hpp"

namespace scratchnet::training {

/// The most epochs (and warm-up, step and patience epochs) a run may have.
constexpr std::int64_t kMaxEpochs = 1'000'000;
/// The most rows a mini-batch may have.
constexpr std::int64_t kMaxBatch = 1'000'000;

/// Every setting of a training run that the model file and checkpoints record, so that a
/// resumed run continues exactly as it began.
struct TrainSettings {
  std::string layers;
  std::string loss = "ce";
  std::string optimizer = "adam";
  double lr = 0;  // 0: the optimizer's default (kDefaultLearningRates)
  double momentum = 0;
  bool nesterov = false;
  double weight_decay = -1;         // < 0: the default of the optimizer's options (AdamWOptions')
  std::string schedule = "cosine";  // from the rate down to 0 by the last step
  int step_size = 0;                // epochs between step decays; 0: a third of the epochs
  double gamma = 0.1;
  int warmup = 0;  // epochs of linear warm-up
  double clip = 0;
  Index batch = 64;
  int epochs = 10;
  std::uint32_t seed = 0;
  double val_split = 0.1;
  bool shuffle = true;
  int patience = 0;
  std::string dtype = "f32";
  std::string normalize;          // "standard" or "none"; empty: standard for CSV, none for images
  std::string missing = "error";  // missing feature values: "error", "drop", "mean", "median"
  /// Regression targets: "standard" (trained as (y − mean) / std of the training rows, the
  /// outputs mapped back) or "none"; empty: standard for mse, none for sse and classification.
  /// Settings written before this key existed read as empty.
  std::string normalize_target;

  /// As JSON text, for model files and checkpoints.
  std::string to_json() const;
  /// These settings with every placeholder replaced by what a run uses for it: the optimizer's
  /// default learning rate for lr 0, its default weight decay for -1, a third of the epochs for
  /// step_size 0 under the step schedule, and "standard" or "none" for an empty normalize (and
  /// normalize_target), as `standardized` (`target_standardized`) says the run scaled its
  /// features (its targets). What a model file records, for people.
  TrainSettings resolved(bool standardized, bool target_standardized = false) const;
  /// From to_json() text in the metadata of the file at `path`, checked as strictly as the flags
  /// are: an object with every key of to_json() (but those added later, which take their
  /// defaults) and no other, each of its JSON type and in the
  /// range its flag accepts (problem_of). Throws io::FormatError
  /// "PATH: metadata 'options': 'batch' must be a whole number from 1 to 1000000, got 0".
  static TrainSettings from_json(const std::string& text, const std::string& path);
};

/// A setting that cannot be used: the key to_json() names it by, and what is wrong, phrased to
/// follow the setting's name ("must be fewer epochs than --epochs").
struct SettingProblem {
  std::string key;
  std::string problem;
};

/// How a problem names a setting by its key, as the front end that gave it does: a flag
/// ("--batch"), a file's key ("'batch'"), an argument's name.
using SettingName = std::string (*)(const std::string& key);

/// A setting named as a file's metadata names it: the key in single quotes ("'batch'").
std::string quoted_key(const std::string& key);

/// The first problem of `settings`, the one check of every setting wherever it comes from: a
/// value out of the range its flag accepts, a name that is not one of its choices, a layer spec
/// that does not parse (an empty one is left to the caller: a model to start from may supply
/// it), or settings that do not go together (warm-up as long as the run, Nesterov without
/// momentum, a final softmax or sigmoid that the loss applies itself). Other settings are named
/// by `name`.
std::optional<SettingProblem> problem_of(const TrainSettings& settings, SettingName name);

/// What is wrong with a network of `spec` ending in the activation that `loss` applies itself (a
/// softmax before ce, which takes logits and applies log-softmax; a sigmoid before bce, which is
/// binary cross-entropy with logits): training would apply it twice. The text follows the
/// spec's name ("ends in softmax, but ..."), with the spec to use instead; empty when the spec is
/// fine or does not parse.
std::string final_activation_problem(const std::string& spec, const std::string& loss);

}  // namespace scratchnet::training
