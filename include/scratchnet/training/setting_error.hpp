#pragma once
// A training run refused because of one of its settings (or of what the front end gave it: its
// data, its model to start from, its checkpoint to resume). The key says which, so that each
// front end names it in its own words: the command line as its flag ("--data: not the data the
// run in ck/ was trained on (…)"), another front end as its argument.

#include <stdexcept>
#include <string>

namespace scratchnet::training {

class SettingError : public std::runtime_error {
 public:
  /// `key` as TrainSettings::to_json() names a setting, or the name of an input ("data",
  /// "resume", "init"); `problem` phrased to follow the setting's name.
  SettingError(std::string key, std::string problem)
      : std::runtime_error(key + ": " + problem),
        key_(std::move(key)),
        problem_(std::move(problem)) {}

  const std::string& key() const { return key_; }
  const std::string& problem() const { return problem_; }

 private:
  std::string key_;
  std::string problem_;
};

}  // namespace scratchnet::training
