#pragma once
// How training shows its progress: on a terminal, one live line redrawn after every batch
// (epoch, batch, loss, accuracy, samples/s, time left); elsewhere, one plain line per epoch;
// nothing when quiet. A regression run shows, in the label's units, its loss, MAE and R² (and
// their validation values) instead of accuracy. Progress goes to standard error, so standard output
// keeps the results.

#include <chrono>
#include <cstdio>

#include "scratchnet/training/trainer.hpp"

namespace scratchnet::cli {

class Progress {
 public:
  enum class Style { live, per_epoch, quiet };

  /// Progress in `style` for a run of `epochs` epochs; a regression run shows loss, MAE and R²
  /// where a classifier shows its loss and accuracy.
  Progress(Style style, int epochs, bool regression = false)
      : style_(style), epochs_(epochs), regression_(regression) {}

  /// Live on a terminal, per epoch otherwise, quiet when asked.
  static Style style_for(bool quiet);

  /// After every batch.
  void batch(const BatchProgress& progress);
  /// After every epoch.
  void epoch(const EpochMetrics& metrics);
  /// Before a message while an epoch is under way: clears a live line.
  void clear_line();

 private:
  Style style_;
  int epochs_;
  bool regression_;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace scratchnet::cli
