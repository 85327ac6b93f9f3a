// scratchnet's command line: each subcommand parses its flags, calls the library and prints.
// Exit status: 0 success, 2 a bad command line, 1 any other failure (a bad file included).

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>
#include <new>

#include "eval_command.hpp"
#include "flag_values.hpp"
#include "gradcheck_command.hpp"
#include "info_command.hpp"
#include "predict_command.hpp"
#include "train_command.hpp"
#include "usage_error.hpp"
#include "xor_command.hpp"

namespace {

constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

int usage_error(const CLI::App& app, const std::string& message) {
  const auto chosen = app.get_subcommands();
  const std::string command = chosen.empty() ? "scratchnet" : "scratchnet " + chosen[0]->get_name();
  std::cerr << "scratchnet: error: " << message << "\n"
            << "Run '" << command << " --help' for usage.\n";
  return kExitUsage;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("scratchnet: neural networks from scratch in C++", "scratchnet");
  app.set_version_flag("--version", "scratchnet 0.1.0");
  app.require_subcommand(1);
  scratchnet::cli::XorCommand xor_command(app);
  scratchnet::cli::TrainCommand train_command(app);
  scratchnet::cli::EvalCommand eval_command(app);
  scratchnet::cli::PredictCommand predict_command(app);
  scratchnet::cli::InfoCommand info_command(app);
  scratchnet::cli::GradcheckCommand gradcheck_command(app);
  scratchnet::cli::Command* const commands[] = {&xor_command,  &train_command,
                                                &eval_command, &predict_command,
                                                &info_command, &gradcheck_command};

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
    for (scratchnet::cli::Command* command : commands) {
      if (command->selected()) command->run(std::cout);
    }
  } catch (const scratchnet::cli::FlagError& error) {
    return usage_error(app, error.what());
  } catch (const std::bad_alloc&) {
    std::cerr << "scratchnet: error: out of memory\n";
    return kExitFailure;
  } catch (const std::exception& error) {
    std::cerr << "scratchnet: error: " << error.what() << "\n";
    return kExitFailure;
  }
  std::cout.flush();
  return std::cout ? 0 : kExitFailure;
}
