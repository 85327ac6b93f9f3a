#pragma once
// Command lines printed for people to paste into a POSIX shell (the command that resumes an
// interrupted run): each word quoted so that the shell hands it back unchanged.

#include <string>
#include <vector>

namespace scratchnet::cli {

/// `word` as a shell reads it back: bare when it holds only characters no shell treats
/// specially (letters, digits and _@%+=:,./-), else in single quotes, a quote in it written
/// '\''. A word with a control character (a line break) is written $'...' with \n, \t or \xHH
/// escapes, which bash, zsh and ksh read, so that the command stays on one line.
std::string shell_word(const std::string& word);

/// The words joined by spaces, each through shell_word.
std::string shell_command(const std::vector<std::string>& words);

}  // namespace scratchnet::cli
