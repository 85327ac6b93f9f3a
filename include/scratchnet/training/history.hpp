#pragma once
// A run's per-epoch metrics as JSON: what `train --json` prints under "epochs" and what a
// checkpoint keeps in its metadata "history", so that a resumed run reports every epoch.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "scratchnet/training/trainer.hpp"

namespace scratchnet::training {

/// {"epoch", "loss", "accuracy", "val_loss", "val_accuracy", "r2", "mae", "val_mae", "val_r2",
/// "seconds", "samples_per_second"}; NaN becomes null.
nlohmann::json epoch_json(const EpochMetrics& epoch);

/// The epochs in order, a JSON array of epoch_json().
nlohmann::json history_json(const std::vector<EpochMetrics>& history);

/// The per-epoch metrics of a checkpoint's metadata "history", checked: a JSON array of the
/// `epochs` epochs done, in order, each an object of epoch_json()'s keys with numbers or null
/// (null read back as NaN); an epoch without the four regression keys (an older checkpoint's)
/// reads them as NaN. Throws io::FormatError "PATH: metadata 'history': problem".
std::vector<EpochMetrics> history_from_json(const std::string& text, int epochs,
                                            const std::string& path);

}  // namespace scratchnet::training
