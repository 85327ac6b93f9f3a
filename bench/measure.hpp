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
