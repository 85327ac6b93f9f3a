#include "output_checks.hpp"

#include "flag_values.hpp"

namespace scratchnet::cli {

void check_output_files(const std::vector<io::NamedPath>& outputs) {
  for (const io::NamedPath& output : outputs) {
    if (!output.path.empty()) io::check_output_file(output.path);
  }
}

void refuse_same_file(const std::vector<io::NamedPath>& inputs,
                      const std::vector<io::NamedPath>& outputs) {
  if (const auto same = io::find_same_file(inputs, outputs)) {
    throw FlagError(same->output.flag, same->output.path + " is the same file as " +
                                           same->other.flag + " " + same->other.path);
  }
}

}  // namespace scratchnet::cli
