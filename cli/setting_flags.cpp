#include "setting_flags.hpp"

#include <algorithm>
#include <iterator>

#include "flag_values.hpp"
#include "scratchnet/text/shortest.hpp"

namespace scratchnet::cli {
namespace {

using training::TrainSettings;

// A training setting as its flag writes it, to compare a command with the run it resumes.
struct FlagSetting {
  const char* flag;
  std::string (*text)(const TrainSettings&);
};

const FlagSetting kFlagSettings[] = {
    {"--layers",
     [](const TrainSettings& s) { return format_layer_spec(parse_layers_flag(s.layers)); }},
    {"--loss", [](const TrainSettings& s) { return s.loss; }},
    {"--optimizer", [](const TrainSettings& s) { return s.optimizer; }},
    {"--lr",
     [](const TrainSettings& s) {
       return s.lr == 0 ? std::string("the optimizer's default") : shortest(s.lr);
     }},
    {"--momentum", [](const TrainSettings& s) { return shortest(s.momentum); }},
    {"--nesterov", [](const TrainSettings& s) { return std::string(s.nesterov ? "on" : "off"); }},
    {"--weight-decay",
     [](const TrainSettings& s) {
       return s.weight_decay < 0 ? std::string("the optimizer's default")
                                 : shortest(s.weight_decay);
     }},
    {"--schedule", [](const TrainSettings& s) { return s.schedule; }},
    {"--step-size",
     [](const TrainSettings& s) {
       return s.step_size == 0 ? std::string("a third of the epochs") : std::to_string(s.step_size);
     }},
    {"--gamma", [](const TrainSettings& s) { return shortest(s.gamma); }},
    {"--warmup", [](const TrainSettings& s) { return std::to_string(s.warmup); }},
    {"--clip", [](const TrainSettings& s) { return shortest(s.clip); }},
    {"--batch", [](const TrainSettings& s) { return std::to_string(s.batch); }},
    {"--seed", [](const TrainSettings& s) { return std::to_string(s.seed); }},
    {"--val-split", [](const TrainSettings& s) { return shortest(s.val_split); }},
    {"--no-shuffle", [](const TrainSettings& s) { return std::string(s.shuffle ? "off" : "on"); }},
    {"--patience", [](const TrainSettings& s) { return std::to_string(s.patience); }},
    {"--dtype", [](const TrainSettings& s) { return s.dtype; }},
    {"--normalize",
     [](const TrainSettings& s) {
       return s.normalize.empty() ? std::string("its data's default") : s.normalize;
     }},
    {"--missing", [](const TrainSettings& s) { return s.missing; }},
    {"--normalize-target",
     [](const TrainSettings& s) {
       return s.normalize_target.empty() ? std::string("its loss's default") : s.normalize_target;
     }},
};

}  // namespace

std::string flag_of(const std::string& key) {
  if (key == "shuffle") return "--no-shuffle";
  std::string flag = "--" + key;
  for (char& c : flag)
    if (c == '_') c = '-';
  return flag;
}

std::vector<SpecEntry> parse_layers_flag(const std::string& spec) {
  try {
    return parse_layer_spec(spec);
  } catch (const SpecError& error) {
    throw FlagError("--layers", error.what());
  }
}

bool is_setting_flag(const std::string& flag) {
  return std::any_of(std::begin(kFlagSettings), std::end(kFlagSettings),
                     [&](const FlagSetting& setting) { return flag == setting.flag; });
}

void require_flags_agree(const CLI::App& command, const TrainSettings& run,
                         const TrainSettings& given, const std::string& resume) {
  for (const FlagSetting& setting : kFlagSettings) {
    if (command.count(setting.flag) == 0) continue;
    const std::string was = setting.text(run), now = setting.text(given);
    if (was != now) {
      throw FlagError("--resume", "the run in " + resume + " was trained with " + setting.flag +
                                      " " + was + "; this command says " + now);
    }
  }
}

}  // namespace scratchnet::cli
