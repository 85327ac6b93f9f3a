#include "data_flags.hpp"

#include "flag_values.hpp"

namespace scratchnet::cli {

void CsvFlags::add_to(CLI::App& command, const std::string& label_default) {
  command.add_flag("--header", header_, "The CSV file's first row is a header (default: detect)")
      ->disable_flag_override();
  command.add_flag("--no-header", no_header_, "The CSV file's first row is data")
      ->disable_flag_override();
  command
      .add_option(
          "--label", label_,
          "The CSV label column, by header name or 0-based index (default: " + label_default + ")")
      ->type_name("NAME|INDEX");
}

data::CsvOptions CsvFlags::options() const {
  if (header_ && no_header_) throw FlagError("--header", "cannot be given with --no-header");
  data::CsvOptions options;
  if (header_) options.header = true;
  if (no_header_) options.header = false;
  options.label = label_;
  // Missing cells are read as NaN and counted: the library drops, fills or refuses them as the
  // run or the model says, with a message that counts them all.
  options.allow_missing = true;
  return options;
}

}  // namespace scratchnet::cli
