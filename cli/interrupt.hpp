#pragma once
// Ctrl-C (SIGINT) and SIGTERM during training: the first asks training to stop after its
// current batch, so that a checkpoint can be written; a second ends the process at once (the
// default action again), which still leaves every file whole, as each is written atomically.

namespace scratchnet::cli {

/// While alive, catches SIGINT (unless it was ignored, as in a shell's background job) and
/// SIGTERM as above; restores what was there before on destruction. One at a time.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  /// The signal that asked to stop (SIGINT or SIGTERM), or 0 when none has yet.
  static int received();
};

}  // namespace scratchnet::cli
