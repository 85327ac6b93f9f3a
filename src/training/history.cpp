#include "scratchnet/training/history.hpp"

#include <limits>

#include "scratchnet/io/checkpoint.hpp"
#include "scratchnet/io/metadata_json.hpp"
#include "scratchnet/io/safetensors.hpp"
#include "scratchnet/training/evaluation_json.hpp"

namespace scratchnet::training {
namespace {

// One entry of a history, the `number`th epoch; `bad` throws.
template <typename Bad>
EpochMetrics epoch_from_json(const nlohmann::json& entry, int number, const Bad& bad) {
  const std::string where = "epoch " + std::to_string(number) + ": ";
  // A checkpoint written before regression metrics were kept has none of their keys.
  const bool regression_keys = entry.is_object() && entry.contains("r2");
  const std::size_t keys = epoch_json(EpochMetrics{}).size() - (regression_keys ? 0 : 4);
  if (!entry.is_object() || entry.size() != keys) {
    bad(where +
        "expected an object of epoch, loss, accuracy, val_loss, val_accuracy, seconds, "
        "samples_per_second (and r2, mae, val_mae, val_r2)");
  }
  const auto value = [&](const char* key) {
    if (!entry.contains(key) || !(entry[key].is_null() || entry[key].is_number())) {
      bad(where + "'" + key + "' must be a number or null");
    }
    return entry[key].is_null() ? std::numeric_limits<double>::quiet_NaN()
                                : entry[key].get<double>();
  };
  if (!entry.contains("epoch") || !entry["epoch"].is_number_integer() ||
      entry["epoch"].get<std::int64_t>() != std::int64_t(number)) {
    bad(where + "'epoch' must be " + std::to_string(number));
  }
  EpochMetrics epoch;
  epoch.epoch = number;
  epoch.loss = value("loss");
  epoch.accuracy = value("accuracy");
  epoch.val_loss = value("val_loss");
  epoch.val_accuracy = value("val_accuracy");
  epoch.seconds = value("seconds");
  epoch.samples_per_second = value("samples_per_second");
  if (regression_keys) {
    epoch.r2 = value("r2");
    epoch.mae = value("mae");
    epoch.val_mae = value("val_mae");
    epoch.val_r2 = value("val_r2");
  }
  return epoch;
}

}  // namespace

nlohmann::json epoch_json(const EpochMetrics& epoch) {
  return {{"epoch", epoch.epoch},
          {"loss", number_or_null(epoch.loss)},
          {"accuracy", number_or_null(epoch.accuracy)},
          {"val_loss", number_or_null(epoch.val_loss)},
          {"val_accuracy", number_or_null(epoch.val_accuracy)},
          {"r2", number_or_null(epoch.r2)},
          {"mae", number_or_null(epoch.mae)},
          {"val_mae", number_or_null(epoch.val_mae)},
          {"val_r2", number_or_null(epoch.val_r2)},
          {"seconds", epoch.seconds},
          {"samples_per_second", epoch.samples_per_second}};
}

nlohmann::json history_json(const std::vector<EpochMetrics>& history) {
  nlohmann::json epochs = nlohmann::json::array();
  for (const EpochMetrics& epoch : history)
    epochs.push_back(epoch_json(epoch));
  return epochs;
}

std::vector<EpochMetrics> history_from_json(const std::string& text, int epochs,
                                            const std::string& path) {
  const auto bad = [&](const std::string& problem) {
    throw io::FormatError(path + ": metadata 'history': " + problem);
  };
  const nlohmann::json json =
      io::parse_metadata_json(text, path, "history", "not a JSON array", io::kHistoryLimits);
  if (!json.is_array()) bad("not a JSON array");
  if (json.size() != std::size_t(epochs)) {
    bad("holds " + std::to_string(json.size()) + " epochs but the checkpoint is after epoch " +
        std::to_string(epochs));
  }
  std::vector<EpochMetrics> history;
  for (const nlohmann::json& entry : json)
    history.push_back(epoch_from_json(entry, int(history.size() + 1), bad));
  return history;
}

}  // namespace scratchnet::training
