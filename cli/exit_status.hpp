#pragma once
// scratchnet's exit statuses, as the README lists them.

namespace scratchnet::cli {

constexpr int kExitFailure = 1;    // a bad file, a failed write, any other error
constexpr int kExitUsage = 2;      // a bad command line
constexpr int kExitNonFinite = 3;  // training met a NaN or an infinity and stopped
// 128 + N: stopped by signal N (130 for Ctrl-C, 143 for SIGTERM) after saving a checkpoint.

/// Thrown by a command that has printed what happened, to end the program with `status`.
struct ExitWithStatus {
  int status;
};

}  // namespace scratchnet::cli
