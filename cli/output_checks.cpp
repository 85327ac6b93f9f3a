#include "output_checks.hpp"

#include "flag_values.hpp"

namespace scratchnet::cli {

void check_output_files(const std::vector<files::NamedPath>& outputs) {
  for (const files::NamedPath& output : outputs) {
    if (!output.path.empty()) files::check_output_file(output.path);
  }
}

void refuse_same_file(const std::vector<files::NamedPath>& inputs,
                      const std::vector<files::NamedPath>& outputs) {
  if (const auto same = files::find_same_file(inputs, outputs)) {
    throw FlagError(same->output.flag, same->output.path + " is the same file as " +
                                           same->other.flag + " " + same->other.path);
  }
}

}  // namespace scratchnet::cli
