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
  std::fprintf(stderr,
               "\r\033[Kepoch %d/%d  batch %ld/%ld  loss %s  accuracy %s  %.0f samples/s  ETA %s",
               progress.epoch, epochs_, long(progress.batch), long(progress.batches),
               metric(progress.loss).c_str(), metric(progress.accuracy).c_str(),
               progress.samples_per_second, duration(left).c_str());
  std::fflush(stderr);
}

void Progress::clear_line() {
  if (style_ == Style::live) std::fprintf(stderr, "\r\033[K");
}

void Progress::epoch(const EpochMetrics& metrics) {
  if (style_ == Style::quiet) return;
  if (style_ == Style::live) std::fprintf(stderr, "\r\033[K");
  std::fprintf(stderr,
               "epoch %d/%d  loss %s  accuracy %s  val_loss %s  val_accuracy %s  %.1fs  %.0f "
               "samples/s\n",
               metrics.epoch, epochs_, metric(metrics.loss).c_str(),
               metric(metrics.accuracy).c_str(), metric(metrics.val_loss).c_str(),
               metric(metrics.val_accuracy).c_str(), metrics.seconds, metrics.samples_per_second);
  std::fflush(stderr);
}

}  // namespace scratchnet::cli
