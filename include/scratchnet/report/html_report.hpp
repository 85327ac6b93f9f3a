#pragma once
// The training report of `scratchnet train --report FILE.html`: one self-contained HTML page
// that opens without a network (no external scripts, styles, fonts or images, and a
// Content-Security-Policy that forbids them) and draws without scripts:
//   a title and a summary table (data, model, accuracy, time, …) and the command line;
//   the loss and accuracy (regression: MAE and R²) per epoch, training and validation, as inline
//   SVG charts (one polyline per series, NaN epochs skipped; a chart with no values is left out);
//   the confusion matrix as a shaded HTML table with per-class precision, recall and F1;
//   for regression, the MSE, MAE and R² and a scatter plot of predicted against true values
//   (one circle per row, the line y = x for perfect predictions);
//   a grid of test images as inline PNGs, each with its true and predicted label (wrong ones
//   in red);
//   for a convolutional network, its first convolution's filters as a grid of small images.
// All text from the caller (title, summary, class names, labels) is escaped as HTML.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "scratchnet/matrix.hpp"
#include "scratchnet/training/metrics.hpp"
#include "scratchnet/training/trainer.hpp"

namespace scratchnet::report {

/// One grayscale test image and what the model made of it.
struct ReportImage {
  std::vector<std::uint8_t> pixels;  // [height, width] row-major, 0 black … 255 white
  Index width = 0, height = 0;
  std::string true_label, predicted_label;  // shown under the image; red when they differ
};

/// A regression model's predictions against the true values of some rows, in the label's units.
struct PredictedVsTrue {
  std::string rows;   // which rows they are, for the captions: "test", "validation"
  std::string label;  // the label's name, for the axes
  std::vector<double> truth, predicted;  // one pair per row
};

/// Everything a training report shows; leave out what a run does not have.
struct ReportData {
  std::string title;
  std::string command_line;                  // as typed, shown verbatim
  std::vector<EpochMetrics> epochs;          // NaN accuracies: regression; NaN val_*: no validation
  std::vector<std::string> class_names;      // index → name; missing names show the index
  std::optional<ConfusionMatrix> confusion;  // test (or validation) confusion, rows = truth
  /// Regression: the test (or validation) metrics in the label's units, and the rows' predicted
  /// against true values for a scatter plot (non-finite pairs are left out of it).
  std::optional<RegressionMetrics> regression;
  std::string regression_rows = "test";  // which rows `regression` measures
  std::optional<PredictedVsTrue> scatter;
  std::vector<ReportImage> images;  // a grid of test images, may be empty
  /// The first convolution's filters (filter_images.hpp), captioned by their true_label, and
  /// the layer they belong to; empty for a network without convolutions.
  std::vector<ReportImage> filters;
  std::string filters_layer;
  std::vector<std::pair<std::string, std::string>> summary;  // key/value lines, in order
};

/// The report as one HTML document. Throws std::invalid_argument when an image's pixel count
/// is not its width × height or either is 0.
std::string render_html_report(const ReportData& data);

/// A PNG file of an 8-bit grayscale image, `pixels` [height, width] row-major: signature, IHDR,
/// one zlib-compressed IDAT (filter type 0 on every row), IEND. Throws std::invalid_argument
/// when pixels.size() != width × height or either is 0.
std::vector<std::uint8_t> encode_grayscale_png(std::span<const std::uint8_t> pixels, Index width,
                                               Index height);

}  // namespace scratchnet::report
