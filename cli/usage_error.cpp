#include "usage_error.hpp"

#include <algorithm>
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
      {std::regex("^The following arguments? (was|were) not expected: (.*)$"),
       "unexpected argument(s): $2"},
  };
  return table;
}

// The optimal string alignment distance: insertions, deletions, substitutions and swaps of two
// neighbours each count 1, so that "--lables" is one step from "--labels".
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i)
    d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j)
    d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min(
          {d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

// "; did you mean NAME?" for the candidate nearest `typed`, when it is near enough to be a slip
// of the fingers (a third of the name's letters, at least one), else nothing. Leading dashes are
// not letters: "-epochs" is "--epochs" mistyped.
std::string nearest(const std::string& typed, const std::vector<std::string>& candidates) {
  const auto letters = [](const std::string& name) {
    return name.substr(std::min(name.find_first_not_of('-'), name.size()));
  };
  const std::string word = letters(typed);
  if (word.empty() || word.size() > 100) return "";  // no quadratic work for a long argument
  const std::size_t most = std::max<std::size_t>(1, word.size() / 3);
  std::string best;
  std::size_t best_distance = most + 1;
  for (const std::string& candidate : candidates) {
    const std::size_t distance = edit_distance(word, letters(candidate));
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best.empty() ? "" : "; did you mean " + best + "?";
}

// The long flags `command` takes ("--epochs"), --help among them.
std::vector<std::string> flags_of(const CLI::App& command) {
  std::vector<std::string> flags;
  for (const CLI::Option* option : command.get_options()) {
    for (const std::string& name : option->get_lnames())
      flags.push_back("--" + name);
  }
  return flags;
}

// "--epoch: unknown flag; did you mean --epochs?" for a flag typed as `typed` (a value given
// with = is no part of the flag's name).
std::string unknown_flag(const std::string& typed, const CLI::App& command) {
  const std::string flag = typed.substr(0, typed.find('='));
  return shown(flag) + ": unknown flag" + nearest(flag, flags_of(command));
}

}  // namespace

std::string describe_parse_error(const CLI::ParseError& error, const CLI::App& app,
                                 const std::string& argv1) {
  const auto chosen = app.get_subcommands();
  if (chosen.empty()) {
    if (argv1.empty()) return "no command given";
    if (argv1[0] == '-') return unknown_flag(argv1, app);
    std::vector<std::string> commands;
    for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; }))
      commands.push_back(command->get_name());
    return shown(argv1) + ": unknown command" + nearest(argv1, commands);
  }
  if (dynamic_cast<const CLI::ExtrasError*>(&error) != nullptr) {
    // The first unexpected word that looks like a flag is the one to name: "--epoch 5" leaves
    // both, and the 5 is only there because --epoch was not known.
    for (const std::string& extra : chosen[0]->remaining()) {
      if (extra.size() > 1 && extra[0] == '-') return unknown_flag(extra, *chosen[0]);
    }
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
