// Fuzzes what a model file's __metadata__ can do to the commands that read it: `info` and
// `predict`, run in process as the tool runs them, and for a checkpoint what `train --resume`
// reads (io::load_checkpoint, then the settings), on a model whose tensors are sound and whose
// metadata is the input.
//
// An input is one options byte, then the metadata as KEY NUL VALUE NUL … (a last key without a
// value gets ""), where the byte 0x01 makes the byte after it literal (0x01 0x00 is a NUL inside
// a key or value, as a file may hold). The tensors are those of the network "3:relu,2" on 2 inputs
// ("0.weight" [3, 2], "0.bias" [3], "2.weight" [2, 3], "2.bias" [2]), F32; when the options byte is
// odd, also the Adam state a checkpoint holds ("optimizer.exp_avg", "optimizer.exp_avg_sq", [17]).
// predict reads a small CSV of two features; a metadata scale or mean can still send the outputs
// to infinity (a scale of 1e-308 does), which predict must refuse.
//
// Properties checked on every input:
//   - each command either succeeds or fails with one error line (after escaping, as main()
//     prints it) that names the file, and throws nothing but the tool's own error types;
//   - info prints no control character but line breaks (escape sequences, carriage returns and
//     NUL bytes from the file are shown escaped), and at most 64 bytes per byte of the file, plus
//     a constant: its output is linear in the file's size;
//   - predict prints a header and one CSV record per row, every probability a finite number in
//     [0, 1], or a regression value that is finite; it runs only on files info accepts (both
//     load the model alike, and a refused file would only repeat info's work);
//   - a checkpoint that load_checkpoint restores holds settings that the flags would accept.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "exit_status.hpp"
#include "flag_values.hpp"
#include "harness.hpp"
#include "info_command.hpp"
#include "predict_command.hpp"
#include "scratchnet/io/checkpoint.hpp"
#include "scratchnet/io/safetensors.hpp"
#include "scratchnet/model/layer_spec.hpp"
#include "scratchnet/optimizers/adam.hpp"
#include "scratchnet/text/one_line.hpp"
#include "scratchnet/training/settings.hpp"
#include "setting_flags.hpp"

namespace {

using namespace scratchnet;
using fuzz::require;

constexpr std::int64_t kParameters = 3 * 2 + 3 + 2 * 3 + 2;

std::vector<io::TensorRecord> tensors(bool checkpoint) {
  const auto filled = [](std::size_t count, float first) {
    std::vector<float> values(count);
    for (std::size_t i = 0; i < count; ++i)
      values[i] = first + 0.125f * float(i);
    return values;
  };
  const auto tensor = [&](const char* name, std::vector<std::int64_t> shape, float first) {
    std::size_t count = 1;
    for (std::int64_t dimension : shape)
      count *= std::size_t(dimension);
    const std::vector<float> values = filled(count, first);
    return io::make_tensor<float>(name, std::move(shape), values);
  };
  std::vector<io::TensorRecord> records = {
      tensor("0.weight", {3, 2}, -0.5f), tensor("0.bias", {3}, 0.25f),
      tensor("2.weight", {2, 3}, -0.25f), tensor("2.bias", {2}, 0.5f)};
  if (checkpoint) {
    records.push_back(tensor("optimizer.exp_avg", {kParameters}, 0.0f));
    records.push_back(tensor("optimizer.exp_avg_sq", {kParameters}, 0.0f));
  }
  return records;
}

// The outcome of one command, run as main() runs it.
struct Outcome {
  bool succeeded = false;
  std::string out, error;
};

// A command parsed once from its arguments (always the same paths, so parsing each input again
// would only measure CLI11) and then run on each input as main() runs it.
template <typename Command>
class ParsedCommand {
 public:
  explicit ParsedCommand(const std::vector<std::string>& arguments) : command_(app_) {
    app_.require_subcommand(1);
    std::vector<const char*> argv = {"scratchnet"};
    for (const std::string& argument : arguments)
      argv.push_back(argument.c_str());
    app_.parse(int(argv.size()), argv.data());  // the harness's own arguments: no error
  }

  Outcome run() {
    std::ostringstream out;
    Outcome outcome;
    try {
      command_.run(out);
      outcome.succeeded = true;
    } catch (const cli::FlagError& error) {
      outcome.error = on_one_line(error.what());
    } catch (const std::runtime_error& error) {  // FormatError, DataError and the rest
      outcome.error = on_one_line(error.what());
    }
    outcome.out = out.str();
    return outcome;
  }

 private:
  CLI::App app_;
  Command command_;
};

// `paths`: the files the command reads, one of which (or a flag) its error must name.
void check_error(const Outcome& outcome, const std::string& command,
                 const std::vector<std::string>& paths) {
  if (outcome.succeeded) return;
  require(fuzz::one_line(outcome.error), command + ": multi-line error: " + outcome.error);
  const bool names_a_file = std::any_of(paths.begin(), paths.end(), [&](const std::string& path) {
    return outcome.error.find(path) != std::string::npos;
  });
  require(names_a_file || outcome.error.starts_with("--"),
          command + ": an error that names neither a file nor a flag: " + outcome.error);
}

void check_info(const Outcome& info, std::size_t file_size) {
  if (!info.succeeded) return;
  for (const char c : info.out) {
    const auto byte = static_cast<unsigned char>(c);
    require(c == '\n' || (byte >= 0x20 && byte != 0x7f),
            "info printed the control character " + std::to_string(int(byte)));
  }
  require(info.out.size() <= 64 * file_size + 4096,
          "info printed " + std::to_string(info.out.size()) + " bytes for a file of " +
              std::to_string(file_size));
}

// The number `text` spells whole, subnormal ones included (std::stod throws for those).
std::optional<double> number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size()) return std::nullopt;
  return value;
}

// predict's CSV as records of fields (RFC 4180: a quoted field may hold commas, quotes as "",
// and line breaks, as a class name may).
std::vector<std::vector<std::string>> csv_records(const std::string& text) {
  std::vector<std::vector<std::string>> records(1, std::vector<std::string>(1));
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted && c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
      records.back().back() += '"';
      ++i;
    } else if (c == '"') {
      quoted = !quoted;
    } else if (!quoted && c == ',') {
      records.back().emplace_back();
    } else if (!quoted && c == '\n') {
      records.emplace_back(1);
    } else {
      records.back().back() += c;
    }
  }
  if (records.back().size() == 1 && records.back()[0].empty()) records.pop_back();  // final \n
  return records;
}

// A header, then one record per row: the predicted class and each class's probability, a
// finite number in [0, 1], or one finite regression value.
void check_predict(const Outcome& predict, std::size_t rows) {
  if (!predict.succeeded) return;
  const auto records = csv_records(predict.out);
  require(!records.empty() && records[0][0] == "prediction",
          "predict's header is not 'prediction,…': " + predict.out.substr(0, 200));
  const std::size_t columns = records[0].size();
  require(records.size() == rows + 1, "predict wrote " + std::to_string(records.size() - 1) +
                                          " rows for " + std::to_string(rows));
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& fields = records[r];
    require(fields.size() == columns, "predict wrote a row of " + std::to_string(fields.size()) +
                                          " fields under a header of " + std::to_string(columns));
    if (columns == 1) {
      const auto value = number(fields[0]);
      require(value && std::isfinite(*value), "predict wrote the regression value " + fields[0]);
      continue;
    }
    for (std::size_t i = 1; i < fields.size(); ++i) {
      const auto value = number(fields[i]);
      require(value && std::isfinite(*value) && *value >= 0 && *value <= 1,
              "predict wrote the probability " + fields[i]);
    }
  }
}

// What `train --resume FILE` reads of a checkpoint, into the network 3:relu,2 and Adam.
void check_resume(const std::string& path) {
  Sequential<float> network = build_model<float>(parse_layer_spec("3:relu,2"), /*inputs=*/2);
  Adam<float> adam(AdamOptions{});
  io::ModelDescription description;
  std::vector<std::string> warnings;
  try {
    const io::CheckpointState state =
        io::load_checkpoint(path, network, adam, description, warnings);
    const training::TrainSettings settings =
        training::TrainSettings::from_json(state.options_json, path);
    const auto problem = training::problem_of(settings, cli::flag_of);
    require(!problem, "resumed settings that the flags refuse: " +
                          (problem ? problem->key + " " + problem->problem : std::string()));
  } catch (const std::runtime_error& error) {  // FormatError and the rest
    const std::string message = on_one_line(error.what());
    require(fuzz::one_line(message), "resume: multi-line error: " + message);
    require(message.find(path) != std::string::npos,
            "resume: an error that does not name the file: " + message);
  }
}

// The metadata an input spells: KEY NUL VALUE NUL …, 0x01 making the next byte literal.
std::map<std::string, std::string> metadata_of(const std::uint8_t* data, std::size_t size) {
  std::map<std::string, std::string> metadata;
  std::string key, text;
  bool in_value = false;
  for (std::size_t i = 0; i < size; ++i) {
    if (data[i] == 0) {
      if (in_value) metadata[key] = text;
      key = in_value ? std::string() : text;
      in_value = !in_value;
      text.clear();
      continue;
    }
    if (data[i] == 1 && i + 1 < size) ++i;
    text += char(data[i]);
  }
  if (in_value || !text.empty()) metadata[in_value ? key : text] = in_value ? text : "";
  return metadata;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static fuzz::MemoryFile model;
  static fuzz::MemoryFile csv;
  static const std::string& csv_path = csv.write("x,y\n0.5,-1\n2,3\n-3,4\n");
  constexpr std::size_t kRows = 3;
  if (size == 0) return 0;

  const std::map<std::string, std::string> metadata = metadata_of(data + 1, size - 1);
  std::string file;
  try {
    file = io::encode_safetensors(tensors(data[0] & 1), metadata);
  } catch (const std::invalid_argument&) {
    return 0;  // a key the format itself cannot hold
  }
  const std::string& path = model.write(file);

  static ParsedCommand<cli::InfoCommand> info_command({"info", path});
  const Outcome info = info_command.run();
  check_error(info, "info", {path});
  check_info(info, file.size());

  if (info.succeeded) {
    static ParsedCommand<cli::PredictCommand> predict_command({"predict", path, csv_path});
    const Outcome predict = predict_command.run();
    check_error(predict, "predict", {path, csv_path});
    check_predict(predict, kRows);
  }
  if (data[0] & 1) check_resume(path);
  return 0;
}
