#pragma once
// Turns a command-line error into the one line scratchnet prints for it.

#include <CLI/CLI.hpp>
#include <string>

namespace scratchnet::cli {

/// One line naming the flag, command or argument and the problem. CLI11's own wording is
/// rephrased where it is unclear ("--seed: 1 required N missing" becomes "--seed: needs a
/// value"); `argv1` is the first argument, to name an unknown command. An unknown flag or command
/// is followed by the nearest known one when it is a likely slip ("--epoch: unknown flag; did
/// you mean --epochs?"). Line breaks in what the
/// user typed are written as \n and \r, and a message longer than 200 bytes is cut ("...").
std::string describe_parse_error(const CLI::ParseError& error, const CLI::App& app,
                                 const std::string& argv1);

}  // namespace scratchnet::cli
