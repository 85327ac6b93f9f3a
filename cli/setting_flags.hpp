#pragma once
// Training settings as the command line gives them: the flag that gives each setting, the
// --layers spec as a flag value, and the agreement of a resuming command's flags with the
// settings its run began with.

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

#include "scratchnet/model/layer_spec.hpp"
#include "scratchnet/training/settings.hpp"

namespace scratchnet::cli {

/// The flag that gives the setting (or input) `key` ("val_split": "--val-split", "shuffle":
/// "--no-shuffle", "data": "--data").
std::string flag_of(const std::string& key);

/// The entries of the --layers spec; a malformed spec is a FlagError quoting the entry.
std::vector<SpecEntry> parse_layers_flag(const std::string& spec);

/// Whether `flag` ("--lr") gives a training setting that a checkpoint records, so that a
/// command resuming the run need not give it (--epochs, which may change, aside).
bool is_setting_flag(const std::string& flag);

/// Throws FlagError "--resume: the run in RESUME was trained with --lr 0.01; this command says
/// 0.5" for the first setting that a flag given on `command` sets otherwise than `run`, the
/// settings of the run in `resume`, did (--epochs, which may change, aside).
void require_flags_agree(const CLI::App& command, const training::TrainSettings& run,
                         const training::TrainSettings& given, const std::string& resume);

}  // namespace scratchnet::cli
