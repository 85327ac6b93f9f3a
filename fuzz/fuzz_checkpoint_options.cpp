// Fuzzes the reading of a checkpoint's training settings, metadata "options", as train --resume
// reads them (TrainSettings::from_json): the JSON a hostile or damaged checkpoint may hold.
//
// An input is the metadata value's text.
//
// Properties checked on every input:
//   - it is either refused with io::FormatError, one line starting "PATH: metadata 'options': ",
//     or accepted; nothing else is thrown;
//   - accepted settings pass the one check the flags pass too (problem_of finds nothing), have a
//     layer spec, and every whole-number setting is in its flag's range (a batch of 0 once
//     divided by zero);
//   - accepted settings round-trip: to_json's text reads back to the same text.

#include <cstdint>
#include <string>
#include <string_view>

#include "harness.hpp"
#include "scratchnet/io/safetensors.hpp"
#include "scratchnet/training/settings.hpp"
#include "setting_flags.hpp"

namespace {

using namespace scratchnet;
using fuzz::require;

constexpr const char* kPath = "checkpoint.safetensors";

training::TrainSettings read(const std::string& text, bool must_accept) {
  try {
    return training::TrainSettings::from_json(text, kPath);
  } catch (const io::FormatError& error) {
    const std::string message = error.what();
    require(!must_accept, "to_json's own text refused: " + message);
    require(fuzz::one_line(message), "multi-line message: " + message);
    require(message.starts_with(std::string(kPath) + ": metadata 'options': "),
            "a message that does not name the file and key: " + message);
    throw;
  } catch (const std::exception& error) {
    fuzz::property_failed(std::string("not a FormatError: ") + error.what());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  training::TrainSettings settings;
  try {
    settings = read(text, /*must_accept=*/false);
  } catch (const io::FormatError&) {
    return 0;
  }
  require(!training::problem_of(settings, cli::flag_of),
          "accepted settings the flags would refuse");
  require(!settings.layers.empty(), "accepted settings without layers");
  require(settings.batch >= 1 && settings.batch <= training::kMaxBatch, "a batch out of range");
  require(settings.epochs >= 1 && settings.epochs <= training::kMaxEpochs, "epochs out of range");
  require(settings.dtype == "f32" || settings.dtype == "f64", "an unknown dtype");
  const std::string written = settings.to_json();
  require(read(written, /*must_accept=*/true).to_json() == written, "to_json does not round-trip");
  return 0;
}
