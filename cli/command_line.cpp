#include "command_line.hpp"

namespace scratchnet::cli {

CommandLine::CommandLine()
    : app_("scratchnet: neural networks from scratch in C++", "scratchnet"),
      xor_(app_),
      train_(app_),
      eval_(app_),
      predict_(app_),
      info_(app_),
      gradcheck_(app_) {
  app_.set_version_flag("--version", "scratchnet 0.1.0");
  app_.require_subcommand(1);
}

Command* CommandLine::chosen() {
  for (Command* command :
       std::initializer_list<Command*>{&xor_, &train_, &eval_, &predict_, &info_, &gradcheck_}) {
    if (command->selected()) return command;
  }
  return nullptr;
}

}  // namespace scratchnet::cli
