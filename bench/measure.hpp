#pragma once
// What the benchmark programs share: Fashion-MNIST as the PyTorch anchor holds it (float pixels
// / 255 in memory, loaded before any timing), a clock, and order statistics of timings.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <vector>

#include "scratchnet/data/idx.hpp"
#include "scratchnet/matrix.hpp"

namespace scratchnet::bench {

using Clock = std::chrono::steady_clock;

inline double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

/// The value at fraction `q` in [0, 1] of `values` (linear interpolation between order
/// statistics, as numpy.percentile computes it; q = 0.5 is the median).
inline double quantile(std::vector<double> values, double q) {
  if (values.empty()) return std::nan("");
  std::sort(values.begin(), values.end());
  const double position = q * double(values.size() - 1);
  const std::size_t below = std::size_t(std::floor(position));
  const std::size_t above = std::min(below + 1, values.size() - 1);
  return values[below] + (position - double(below)) * (values[above] - values[below]);
}

inline double median(std::vector<double> values) {
  return quantile(std::move(values), 0.5);
}

/// What the anchor's inference protocol measures.
struct InferenceFigures {
  double batch_samples_per_second;
  double batch1_latency_us;      // median
  double batch1_latency_us_p90;  // 90th percentile
};

/// The PyTorch anchor's inference protocol over `rows` rows, through `forward(first, count)`,
/// which runs rows [first, first + count) forward: throughput over passes in batches of `batch`
/// (2 warm-up passes, then the median of `passes` timed passes); latency over single rows
/// (`warmup` untimed, then `samples` each timed alone, rows 0, 1, … wrapping at `rows`).
template <typename Forward>
InferenceFigures anchor_inference_protocol(const Forward& forward, Index rows, Index batch,
                                           int passes, int warmup, int samples) {
  const auto pass = [&] {
    for (Index first = 0; first < rows; first += batch)
      forward(first, std::min(batch, rows - first));
  };
  for (int i = 0; i < 2; ++i)
    pass();
  std::vector<double> pass_seconds;
  for (int i = 0; i < passes; ++i) {
    const auto start = Clock::now();
    pass();
    pass_seconds.push_back(seconds_since(start));
  }
  for (int i = 0; i < warmup; ++i)
    forward(i % rows, 1);
  std::vector<double> latency_us;
  for (int i = 0; i < samples; ++i) {
    const auto start = Clock::now();
    forward(i % rows, 1);
    latency_us.push_back(seconds_since(start) * 1e6);
  }
  return {double(rows) / median(pass_seconds), median(latency_us), quantile(latency_us, 0.9)};
}

/// Fashion-MNIST images of Debian's dataset-fashion-mnist: its 10000 test rows or 60000
/// training rows, [rows, 784] as pixel / 255, and their labels.
struct FloatImages {
  Matrix<float> pixels;
  std::vector<std::uint8_t> labels;
};

inline FloatImages fashion_mnist_floats(bool test_set) {
  const data::FashionMnistFiles files = data::fashion_mnist_files();
  const data::LabelledImages images =
      test_set ? data::read_idx_pair(files.test_images, files.test_labels)
               : data::read_idx_pair(files.train_images, files.train_labels);
  FloatImages result{Matrix<float>(images.rows, images.features), images.labels};
  for (Index i = 0; i < result.pixels.size(); ++i)
    result.pixels.data()[i] = float(images.pixels[std::size_t(i)]) / 255.0f;
  return result;
}

}  // namespace scratchnet::bench
