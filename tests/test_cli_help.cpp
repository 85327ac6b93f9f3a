// Every default a help text states is the behaviour: for each subcommand `scratchnet --help`
// lists, each flag whose help shows a default (CLI11's "--flag TYPE=VALUE", or "(default: X)" in
// its description) is run on small inputs with the default given and without the flag, and the
// two runs must do the same (exit status, standard output and error, the model file's bytes).
//
// A default that is a value the flag takes is given as it is written. One written per choice of
// another flag ("(default: sgd 0.01, adam 1e-3, ...)") is given with each choice. One written in
// words ("(default: detect)") has an entry below, keyed by the exact help text, saying which
// arguments spell it out in which input; a help text that changes leaves its entry unmatched and
// fails the test, so that a new wording gets a new check.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <iostream>
#include <map>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "cli_runner.hpp"
#include "scratchnet/io/safetensors.hpp"
#include "temporary_folder.hpp"

namespace scratchnet {
namespace {

using testing::CommandResult;
using testing::lines;
using testing::read_bytes;
using testing::run_cli;
using testing::write_bytes;
using Arguments = std::vector<std::string>;

// One flag as a help text shows it.
struct HelpFlag {
  std::string flag;                  // "--lr"
  std::vector<std::string> choices;  // "sgd|adam" types: {"sgd", "adam"}
  std::string value_default;         // "--batch N=64": "64"
  std::string text_default;          // "(default: detect)": "detect"
  bool takes_value = false;          // a switch (--header) takes none
};

// The flags of `command`'s help, continuation lines joined to their flag's.
std::vector<HelpFlag> help_flags(const std::string& command) {
  const CommandResult help = run_cli({command, "--help"});
  EXPECT_EQ(help.exit_code, 0) << command;
  std::vector<std::string> entries;
  bool in_options = false;
  for (const std::string& line : lines(help.out)) {
    if (line == "Options:") in_options = true;
    if (!in_options || line.size() < 3 || line == "Options:") continue;
    if (line.starts_with("  -"))
      entries.push_back(line);
    else if (line.starts_with("    ") && !entries.empty())
      entries.back() += " " + line.substr(line.find_first_not_of(' '));
    else
      in_options = false;  // the text after the options
  }
  std::vector<HelpFlag> flags;
  const std::regex head("^  (?:-\\w,)?(--[\\w-]+)(?: (\\S+?)(?:=(\\S+))?)?(?: +|$)(.*)$");
  const std::regex text_default("\\(default: ([^)]*)\\)");
  for (const std::string& entry : entries) {
    std::smatch match;
    if (!std::regex_match(entry, match, head)) {
      ADD_FAILURE() << "cannot read the help line: " << entry;
      continue;
    }
    HelpFlag flag{match[1], {}, match[3], "", match[2].matched};
    const std::string type = match[2];
    if (type.find('|') != std::string::npos) {
      std::size_t start = 0;
      for (std::size_t bar; (bar = type.find('|', start)) != std::string::npos; start = bar + 1)
        flag.choices.push_back(type.substr(start, bar - start));
      flag.choices.push_back(type.substr(start));
    }
    const std::string description = match[4];
    std::smatch said;
    if (std::regex_search(description, said, text_default)) flag.text_default = said[1];
    flags.push_back(flag);
  }
  return flags;
}

// The small inputs each subcommand runs on; the first is the one every default is checked on.
struct Inputs {
  std::string folder, csv, label_first, images, labels, model, torch_model, out, numbers_csv;
};

// An IDX file: the magic (two zero bytes, the type 8 for bytes, the rank), the dimensions, the
// bytes.
std::string idx_file(const std::vector<std::uint32_t>& dims, const std::string& values) {
  std::string bytes = {0, 0, 8, char(dims.size())};
  for (const std::uint32_t dim : dims) {
    for (int shift = 24; shift >= 0; shift -= 8)
      bytes += char((dim >> shift) & 0xff);
  }
  return bytes + values;
}

const Inputs& inputs() {
  static const Inputs made = [] {
    Inputs in;
    in.folder = testing::fresh_folder("help");
    in.csv = in.folder + "/rows.csv";
    in.images = in.folder + "/images.idx";
    in.labels = in.folder + "/labels.idx";
    in.model = in.folder + "/model.safetensors";
    in.torch_model = in.folder + "/torch.safetensors";
    in.out = in.folder + "/out.safetensors";
    write_bytes(in.csv, testing::two_feature_csv(60));
    // Rows whose label is a number, for regression.
    in.numbers_csv = in.folder + "/numbers.csv";
    std::string numbers = "a,b,target\n";
    for (int i = 0; i < 40; ++i)
      numbers += std::to_string(i % 7) + "," + std::to_string(i % 5) + "," +
                 std::to_string(100 + 3 * (i % 7) - 2 * (i % 5)) + "\n";
    write_bytes(in.numbers_csv, numbers);
    // The same rows with the label column first: a default that took the last column for the
    // label would read other labels and features.
    in.label_first = in.folder + "/label_first.csv";
    std::string moved;
    for (const std::string& row : lines(read_bytes(in.csv))) {
      const std::size_t comma = row.rfind(',');
      moved += row.substr(comma + 1) + "," + row.substr(0, comma) + "\n";
    }
    write_bytes(in.label_first, moved);
    std::string pixels, classes;
    for (int i = 0; i < 40; ++i) {
      for (int p = 0; p < 4; ++p)
        pixels += char((i * 37 + p * 91) % 256);
      classes += char(i % 2);
    }
    write_bytes(in.images, idx_file({40, 2, 2}, pixels));
    write_bytes(in.labels, idx_file({40}, classes));
    const CommandResult trained = run_cli({"train", "--data", in.csv, "--layers", "4:relu,2",
                                           "--epochs", "2", "--quiet", "--out", in.model});
    EXPECT_EQ(trained.exit_code, 0) << trained.err;
    // The same weights without scratchnet's metadata, as PyTorch would save them.
    io::SafetensorsFile file = io::read_safetensors(in.model);
    write_bytes(in.torch_model, io::encode_safetensors(file.tensors, {{"format", "pt"}}));
    return in;
  }();
  return made;
}

// Inputs that only some defaults need (they fix a flag that other defaults vary): numbered after
// contexts(command)'s in worded_defaults().
std::vector<Arguments> special_contexts(const std::string& command) {
  const Inputs& in = inputs();
  if (command != "train") return {};
  return {{"train", "--data", in.numbers_csv, "--loss", "mse", "--layers", "4:relu,1", "--epochs",
           "3", "--quiet", "--out", in.out},
          {"train", "--data", in.numbers_csv, "--loss", "sse", "--layers", "4:relu,1", "--epochs",
           "3", "--lr", "0.0001", "--quiet", "--out", in.out}};
}

// Each subcommand's inputs: a command line without the flag under test.
std::vector<Arguments> contexts(const std::string& command) {
  const Inputs& in = inputs();
  if (command == "train") {
    return {{"train", "--data", in.csv, "--layers", "4:relu,2", "--epochs", "3", "--quiet", "--out",
             in.out},
            {"train", "--data", in.images, "--labels", in.labels, "--layers", "2", "--epochs", "2",
             "--quiet", "--out", in.out}};
  }
  if (command == "eval") {
    return {{"eval", in.model, in.label_first},
            {"eval", in.torch_model, in.csv, "--layers", "4:relu,2"}};
  }
  if (command == "predict") {
    return {{"predict", in.model, in.label_first},
            {"predict", in.torch_model, in.csv, "--layers", "4:relu,2"}};
  }
  if (command == "gradcheck") return {{"gradcheck", "--layers", "3:tanh,2"}};
  if (command == "xor") return {{"xor", "--iterations", "20"}};
  if (command == "info") return {{"info", in.model}};
  ADD_FAILURE() << "no inputs to run " << command << " on: add them to contexts()";
  return {};
}

// A default written in words, and the arguments that spell it out in context `context`
// (`common` given to both runs, `given` only to the one with the default).
struct WordedDefault {
  std::string command, flag, text;
  std::size_t context;
  Arguments common, given;
};

const std::vector<WordedDefault>& worded_defaults() {
  static const std::vector<WordedDefault> table = {
      // rows.csv has a header, which is detected.
      {"train", "--header", "detect", 0, {}, {"--header"}},
      {"eval", "--header", "detect", 0, {}, {"--header"}},
      {"predict", "--header", "detect", 0, {}, {"--header"}},
      {"train",
       "--label",
       "the last column; resuming, the column the run was trained on",
       0,
       {},
       {"--label", "2"}},
      {"eval",
       "--label",
       "the column named as the model's label; the last for a model that "
       "names none",
       0,
       {},
       {"--label", "label"}},
      {"eval",
       "--label",
       "the column named as the model's label; the last for a model that "
       "names none",
       1,
       {},
       {"--label", "2"}},
      {"predict",
       "--label",
       "the column named as the model's label; for a model that names "
       "none, the last when the rows have one column more than the model has inputs",
       0,
       {},
       {"--label", "label"}},
      {"predict",
       "--label",
       "the column named as the model's label; for a model that names "
       "none, the last when the rows have one column more than the model has inputs",
       1,
       {},
       {"--label", "2"}},
      {"train", "--input-shape", "flat", 0, {}, {"--input-shape", "2"}},
      // 2 and 3: special_contexts("train"), regression with mse and with sse.
      {"train",
       "--normalize-target",
       "standard for mse, none for sse",
       2,
       {},
       {"--normalize-target", "standard"}},
      {"train",
       "--normalize-target",
       "standard for mse, none for sse",
       3,
       {},
       {"--normalize-target", "none"}},
      {"train",
       "--normalize",
       "standard for CSV, none for images",
       0,
       {},
       {"--normalize", "standard"}},
      {"train", "--normalize", "standard for CSV, none for images", 1, {}, {"--normalize", "none"}},
      {"train",
       "--step-size",
       "a third of the epochs",
       0,
       {"--schedule", "step", "--epochs", "9"},
       {"--step-size", "3"}},
      {"train",
       "--threads",
       "the cores",
       0,
       {},
       {"--threads", std::to_string(std::max(1u, std::thread::hardware_concurrency()))}},
  };
  return table;
}

// `arguments` without `flag` and the value after it (if it takes one).
Arguments without(Arguments arguments, const std::string& flag) {
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    if (arguments[i] != flag) continue;
    const bool valued = i + 1 < arguments.size() && !arguments[i + 1].starts_with("--");
    arguments.erase(arguments.begin() + std::ptrdiff_t(i),
                    arguments.begin() + std::ptrdiff_t(i + (valued ? 2 : 1)));
    break;
  }
  return arguments;
}

struct Outcome {
  CommandResult result;
  std::string out_file;
};

Outcome run(const Arguments& arguments) {
  std::filesystem::remove(inputs().out);
  Outcome outcome{run_cli(arguments), ""};
  if (std::filesystem::exists(inputs().out)) outcome.out_file = read_bytes(inputs().out);
  return outcome;
}

// The run without the flag and the run with it given as its default do the same.
void expect_same(Arguments base, const Arguments& common, const Arguments& given,
                 const std::string& what) {
  for (const Arguments* added : {&common, &given}) {
    for (const std::string& word : *added)
      if (word.starts_with("--")) base = without(base, word);
  }
  base.insert(base.end(), common.begin(), common.end());
  Arguments with = base;
  with.insert(with.end(), given.begin(), given.end());
  const Outcome plain = run(base), defaulted = run(with);
  ASSERT_EQ(plain.result.exit_code, 0) << what << "\n" << plain.result.err;
  EXPECT_EQ(defaulted.result.exit_code, 0) << what << "\n" << defaulted.result.err;
  EXPECT_EQ(defaulted.result.out, plain.result.out) << what;
  EXPECT_EQ(defaulted.result.err, plain.result.err) << what;
  EXPECT_TRUE(defaulted.out_file == plain.out_file) << what << ": the model files differ";
}

// "sgd 0.01, adam 1e-3, others 0" as (choice, value) pairs of the flag whose choices they are,
// "others" standing for each choice not named; empty when the text is not of that form.
std::pair<std::string, std::vector<std::pair<std::string, std::string>>> per_choice(
    const std::string& text, const std::vector<HelpFlag>& flags) {
  const std::regex pair("^(\\w+) (\\S+)$");
  std::vector<std::pair<std::string, std::string>> pairs;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = text.find(", ", start);
    const std::string part = text.substr(start, comma - start);
    std::smatch match;
    if (!std::regex_match(part, match, pair)) return {};
    pairs.emplace_back(match[1], match[2]);
    if (comma == std::string::npos) break;
    start = comma + 2;
  }
  for (const HelpFlag& other : flags) {
    std::set<std::string> named;
    bool all_choices = !other.choices.empty();
    for (const auto& [choice, value] : pairs) {
      named.insert(choice);
      const bool is_choice =
          std::find(other.choices.begin(), other.choices.end(), choice) != other.choices.end();
      all_choices = all_choices && (is_choice || choice == "others");
    }
    if (!all_choices) continue;
    std::vector<std::pair<std::string, std::string>> expanded;
    for (const auto& [choice, value] : pairs) {
      if (choice != "others") {
        expanded.emplace_back(choice, value);
        continue;
      }
      for (const std::string& rest : other.choices)
        if (!named.contains(rest)) expanded.emplace_back(rest, value);
    }
    return {other.flag, expanded};
  }
  return {};
}

std::vector<std::string> subcommands() {
  const CommandResult help = run_cli({"--help"});
  std::vector<std::string> names;
  bool listed = false;
  for (const std::string& line : lines(help.out)) {
    if (line == "Subcommands:") {
      listed = true;
      continue;
    }
    if (listed && line.starts_with("  ")) names.push_back(line.substr(2, line.find(' ', 2) - 2));
  }
  return names;
}

TEST(CliHelp, EveryStatedDefaultIsTheBehaviour) {
  const std::vector<std::string> commands = subcommands();
  ASSERT_GE(commands.size(), 6u);
  std::set<std::size_t> worded_used;
  int checked = 0;
  for (const std::string& command : commands) {
    const std::vector<Arguments> inputs_of = contexts(command);
    if (inputs_of.empty()) continue;
    const std::vector<HelpFlag> flags = help_flags(command);
    for (const HelpFlag& flag : flags) {
      const std::string what = "scratchnet " + command + " " + flag.flag;
      if (!flag.value_default.empty()) {
        for (const Arguments& context : inputs_of) {
          expect_same(context, {}, {flag.flag, flag.value_default},
                      what + " " + flag.value_default);
          ++checked;
        }
      }
      if (flag.text_default.empty()) continue;
      // A default that is one of the flag's choices or a number: given as written.
      const std::string& said = flag.text_default;
      const bool a_choice =
          std::find(flag.choices.begin(), flag.choices.end(), said) != flag.choices.end();
      const bool a_number = said.find_first_not_of("0123456789.e-") == std::string::npos;
      if (flag.takes_value && (a_choice || a_number)) {
        for (const Arguments& context : inputs_of) {
          expect_same(context, {}, {flag.flag, flag.text_default}, what + " " + flag.text_default);
          ++checked;
        }
        continue;
      }
      const auto [other, pairs] = per_choice(flag.text_default, flags);
      if (!pairs.empty()) {
        for (const auto& [choice, value] : pairs) {
          expect_same(inputs_of[0], {other, choice}, {flag.flag, value},
                      what + " " + value + " with " + other + " " + choice);
          ++checked;
        }
        continue;
      }
      bool found = false;
      for (std::size_t i = 0; i < worded_defaults().size(); ++i) {
        const WordedDefault& entry = worded_defaults()[i];
        if (entry.command != command || entry.flag != flag.flag || entry.text != flag.text_default)
          continue;
        found = true;
        worded_used.insert(i);
        std::vector<Arguments> all = inputs_of;
        for (const Arguments& special : special_contexts(command))
          all.push_back(special);
        ASSERT_LT(entry.context, all.size()) << what;
        expect_same(all[entry.context], entry.common, entry.given,
                    what + " (default: " + flag.text_default + ")");
        ++checked;
      }
      EXPECT_TRUE(found) << what << " says (default: " << flag.text_default
                         << "), which no entry of worded_defaults() spells out";
    }
  }
  for (std::size_t i = 0; i < worded_defaults().size(); ++i) {
    EXPECT_TRUE(worded_used.contains(i))
        << worded_defaults()[i].command << " " << worded_defaults()[i].flag
        << ": no help text says (default: " << worded_defaults()[i].text << ") any more";
  }
  EXPECT_GT(checked, 40);
  std::cout << checked << " defaults checked\n";
}

}  // namespace
}  // namespace scratchnet
