// Fuzzes scratchnet's command line: CLI11's parsing of the arguments into the subcommands' flags
// (cli::CommandLine, as main() builds it), then the chosen command's own checks of the values
// (Command::check_flags). Nothing is run: no file is read, no network trained.
//
// An input is the arguments after "scratchnet", separated by NUL bytes. An argument "\x01" K TEXT
// stands for TEXT repeated 256 * (K + 1) times (up to 256 KiB), so that short inputs reach long
// arguments: one of 40,000 characters once overflowed the stack.
//
// Properties checked on every input:
//   - parsing either succeeds, asks for help or the version, or throws a CLI::ParseError that
//     describe_parse_error turns into one nonempty line of at most 300 bytes;
//   - the chosen command's check_flags throws nothing but FlagError, whose message is one line
//     that starts with the flag's name ("--lr: ...").
// Each input builds the whole command line afresh (CLI11 keeps parsed values in the commands),
// which costs most of an execution: expect a few hundred per second.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "command_line.hpp"
#include "flag_values.hpp"
#include "harness.hpp"
#include "usage_error.hpp"

namespace {

using namespace scratchnet;
using fuzz::require;

constexpr std::size_t kMaxArguments = 64;
constexpr std::size_t kMaxArgument = 256 << 10;

std::string expanded(std::string_view argument) {
  if (argument.size() < 3 || argument[0] != '\x01') return std::string(argument);
  const std::string_view text = argument.substr(2);
  const std::size_t times = 256 * (std::size_t(std::uint8_t(argument[1])) + 1);
  std::string out;
  for (std::size_t i = 0; i < times && out.size() + text.size() <= kMaxArgument; ++i)
    out += text;
  return out;
}

// Parses `arguments` and checks the chosen command's flags, as main() does before running it.
void check(const std::vector<std::string>& arguments) {
  cli::CommandLine command_line;
  CLI::App& app = command_line.app();
  std::vector<const char*> argv = {"scratchnet"};
  for (const std::string& argument : arguments)
    argv.push_back(argument.c_str());
  try {
    app.parse(int(argv.size()), argv.data());
  } catch (const CLI::CallForHelp&) {
    return;
  } catch (const CLI::CallForAllHelp&) {
    return;
  } catch (const CLI::CallForVersion&) {
    return;
  } catch (const CLI::ParseError& error) {
    const std::string line =
        cli::describe_parse_error(error, app, arguments.empty() ? "" : arguments[0]);
    require(!line.empty(), "an empty parse error message");
    require(fuzz::one_line(line), "multi-line parse error message: " + line);
    require(line.size() <= 300,
            "a parse error message of " + std::to_string(line.size()) + " bytes");
    return;
  }
  cli::Command* command = command_line.chosen();
  require(command != nullptr, "a parsed command line with no command");
  try {
    command->check_flags();
  } catch (const cli::FlagError& error) {
    const std::string_view message = error.what();
    require(fuzz::one_line(message), "multi-line flag error: " + std::string(message));
    require(message.starts_with("--"), "a flag error that names no flag: " + std::string(message));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> arguments;
  for (std::size_t start = 0; start <= bytes.size() && arguments.size() < kMaxArguments;) {
    const std::size_t end = std::min(bytes.find('\0', start), bytes.size());
    arguments.push_back(expanded(bytes.substr(start, end - start)));
    start = end + 1;
  }
  if (size == 0) arguments.clear();
  check(arguments);
  return 0;
}
