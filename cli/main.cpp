// scratchnet's command line: each subcommand parses its flags, calls the library and prints.
// Exit status: 0 success, 2 a bad command line, 3 training met a NaN or an infinity, 128 + N
// stopped by signal N after saving a checkpoint, 1 any other failure (a bad file included).

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>
#include <new>

#include "command_line.hpp"
#include "exit_status.hpp"
#include "flag_values.hpp"
#include "scratchnet/text/one_line.hpp"
#include "usage_error.hpp"

namespace {

using scratchnet::cli::kExitFailure;
using scratchnet::cli::kExitUsage;

int usage_error(const CLI::App& app, const std::string& message) {
  const auto chosen = app.get_subcommands();
  const std::string command = chosen.empty() ? "scratchnet" : "scratchnet " + chosen[0]->get_name();
  std::cerr << "scratchnet: error: " << message << "\n"
            << "Run '" << command << " --help' for usage.\n";
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  scratchnet::cli::CommandLine command_line;
  CLI::App& app = command_line.app();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForAllHelp& help) {
    return app.exit(help);
  } catch (const CLI::CallForVersion& version) {
    return app.exit(version);
  } catch (const CLI::ParseError& error) {
    return usage_error(app,
                       scratchnet::cli::describe_parse_error(error, app, argc > 1 ? argv[1] : ""));
  }

  try {
    command_line.chosen()->run(std::cout);  // parse() has made sure there is one
  } catch (const scratchnet::cli::FlagError& error) {
    return usage_error(app, error.what());
  } catch (const scratchnet::cli::ExitWithStatus& exit) {
    return exit.status;
  } catch (const std::bad_alloc&) {
    std::cerr << "scratchnet: error: out of memory\n";
    return kExitFailure;
  } catch (const std::exception& error) {
    // Once more through on_one_line, for messages made without it: no raw control characters.
    std::cerr << "scratchnet: error: " << scratchnet::on_one_line(error.what()) << "\n";
    return kExitFailure;
  }
  std::cout.flush();
  return std::cout ? 0 : kExitFailure;
}
