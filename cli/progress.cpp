#include "progress.hpp"

#include <unistd.h>

#include <cmath>
#include <string>

namespace scratchnet::cli {
namespace {

// "0.8812" or "-" for a metric that does not apply (NaN).
std::string metric(double value) {
  if (std::isnan(value)) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.4f", value);
  return text;
}

// A loss or an error in the label's units, which may be large ("2231.46", "1.5e+11"), or "-".
std::string amount(double value) {
  if (std::isnan(value)) return "-";
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

std::string duration(double seconds) {
  char text[32];
  const long whole = std::lround(seconds);
  std::snprintf(text, sizeof text, "%ld:%02ld", whole / 60, whole % 60);
  return text;
}

}  // namespace

Progress::Style Progress::style_for(bool quiet) {
  if (quiet) return Style::quiet;
  return ::isatty(STDERR_FILENO) ? Style::live : Style::per_epoch;
}

void Progress::batch(const BatchProgress& progress) {
  if (style_ != Style::live) return;
  const auto now = std::chrono::steady_clock::now();
  const bool last = progress.batch == progress.batches;
  if (!last && now - last_draw_ < std::chrono::milliseconds(100)) return;  // ten redraws a second
  last_draw_ = now;
  const double left =
      progress.seconds / double(progress.batch) * double(progress.batches - progress.batch);
  const std::string measures =
      regression_ ? "loss " + amount(progress.loss)
                  : "loss " + metric(progress.loss) + "  accuracy " + metric(progress.accuracy);
  std::fprintf(stderr, "\r\033[Kepoch %d/%d  batch %ld/%ld  %s  %.0f samples/s  ETA %s",
               progress.epoch, epochs_, long(progress.batch), long(progress.batches),
               measures.c_str(), progress.samples_per_second, duration(left).c_str());
  std::fflush(stderr);
}

void Progress::clear_line() {
  if (style_ == Style::live) std::fprintf(stderr, "\r\033[K");
}

void Progress::epoch(const EpochMetrics& metrics) {
  if (style_ == Style::quiet) return;
  if (style_ == Style::live) std::fprintf(stderr, "\r\033[K");
  const std::string measures =
      regression_
          ? "loss " + amount(metrics.loss) + "  mae " + amount(metrics.mae) + "  r2 " +
                metric(metrics.r2) + "  val_loss " + amount(metrics.val_loss) + "  val_mae " +
                amount(metrics.val_mae) + "  val_r2 " + metric(metrics.val_r2)
          : "loss " + metric(metrics.loss) + "  accuracy " + metric(metrics.accuracy) +
                "  val_loss " + metric(metrics.val_loss) + "  val_accuracy " +
                metric(metrics.val_accuracy);
  std::fprintf(stderr, "epoch %d/%d  %s  %.1fs  %.0f samples/s\n", metrics.epoch, epochs_,
               measures.c_str(), metrics.seconds, metrics.samples_per_second);
  std::fflush(stderr);
}

}  // namespace scratchnet::cli
