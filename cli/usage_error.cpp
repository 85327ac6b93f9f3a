#include "usage_error.hpp"

#include <regex>

#include "flag_values.hpp"
#include "scratchnet/text/one_line.hpp"

namespace scratchnet::cli {
namespace {

// Rephrasings of CLI11 2.x messages, tried in order; `$1` is the flag.
struct Rephrasing {
  std::regex pattern;
  const char* replacement;
};

const std::vector<Rephrasing>& rephrasings() {
  static const std::vector<Rephrasing> table = {
      {std::regex("^(\\S+): \\d+ required \\S+ missing$"), "$1: needs a value"},
      {std::regex("^(\\S+): At Most \\d+ required but received \\d+$"), "$1: given more than once"},
      {std::regex("^-*(\\S+) was given a disallowed flag override$"), "--$1: takes no value"},
      {std::regex("^The following arguments? (was|were) not expected: (-\\S+)$"),
       "unknown flag '$2'"},
      {std::regex("^The following arguments? (was|were) not expected: (.*)$"),
       "unexpected argument(s): $2"},
  };
  return table;
}

}  // namespace

std::string describe_parse_error(const CLI::ParseError& error, const CLI::App& app,
                                 const std::string& argv1) {
  const bool no_command = app.get_subcommands().empty();
  if (no_command) {
    if (argv1.empty()) return "no command given";
    if (argv1[0] == '-') return "unknown flag '" + shown(argv1) + "'";
    return "unknown command '" + shown(argv1) + "'";
  }
  // shown() cuts the text, which also bounds what std::regex matches: libstdc++'s matcher
  // recurses once per character, and an argument of 40,000 characters overflowed the stack
  // (found by fuzzing).
  const std::string message = shown(error.what());
  for (const auto& [pattern, replacement] : rephrasings()) {
    if (std::regex_match(message, pattern))
      return std::regex_replace(message, pattern, replacement);
  }
  return message;
}

}  // namespace scratchnet::cli
