// The HTML training report: its structure (self-contained, one polyline per series with a point
// per finite value, escaped text, confusion counts, NaN epochs, regression), the PNG encoder
// decoded back with zlib, and the page as Debian's headless Chromium draws it: the polylines in
// the DOM it builds, and the series' colours on its screenshot.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "scratchnet/model/layer_spec.hpp"
#include "scratchnet/report/filter_images.hpp"
#include "scratchnet/report/html_report.hpp"
#include "scratchnet/report/run_summary.hpp"

namespace scratchnet::report {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::size_t occurrences(const std::string& text, const std::string& what) {
  std::size_t count = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
    ++count;
  return count;
}

/// The text from `open` up to and including the first `close` after it; "" when absent.
std::string element(const std::string& html, const std::string& open, const std::string& close) {
  const std::size_t begin = html.find(open);
  if (begin == std::string::npos) return "";
  const std::size_t end = html.find(close, begin);
  return end == std::string::npos ? "" : html.substr(begin, end + close.size() - begin);
}

/// The value of every `attribute="…"` in `html`, in order.
std::vector<std::string> attributes(const std::string& html, const std::string& attribute) {
  std::vector<std::string> values;
  const std::string key = " " + attribute + "=\"";
  for (std::size_t at = html.find(key); at != std::string::npos; at = html.find(key, at + 1)) {
    const std::size_t begin = at + key.size();
    values.push_back(html.substr(begin, html.find('"', begin) - begin));
  }
  return values;
}

/// The points attribute of the polyline whose data-series is `series` in `svg`.
std::string points_of(const std::string& svg, const std::string& series) {
  const std::string line = element(svg, "<polyline data-series=\"" + series + "\"", ">");
  const auto points = attributes(line, "points");
  return points.size() == 1 ? points[0] : "";
}

/// The (x, y) pairs of a points attribute; every one must parse as two finite numbers.
std::vector<std::pair<double, double>> parse_points(const std::string& points) {
  std::vector<std::pair<double, double>> pairs;
  std::istringstream stream(points);
  for (std::string pair; stream >> pair;) {
    const std::size_t comma = pair.find(',');
    if (comma == std::string::npos) throw std::runtime_error("no comma in point '" + pair + "'");
    pairs.emplace_back(std::stod(pair.substr(0, comma)), std::stod(pair.substr(comma + 1)));
    if (!std::isfinite(pairs.back().first) || !std::isfinite(pairs.back().second))
      throw std::runtime_error("point '" + pair + "' is not finite");
  }
  return pairs;
}

// Test data: a Fashion-MNIST-like run of `epochs` epochs, with validation.
std::vector<EpochMetrics> falling_loss(int epochs) {
  std::vector<EpochMetrics> result;
  for (int e = 1; e <= epochs; ++e) {
    const double t = double(e) / epochs;
    result.push_back({.epoch = e,
                      .loss = 0.3 + 0.6 * std::exp(-4 * t),
                      .accuracy = 0.9 - 0.25 * std::exp(-4 * t),
                      .val_loss = 0.35 + 0.5 * std::exp(-3 * t) + 0.02 * std::sin(3.0 * e),
                      .val_accuracy = 0.88 - 0.2 * std::exp(-3 * t),
                      .seconds = 1.5,
                      .samples_per_second = 36000,
                      .learning_rate = 1e-3});
  }
  return result;
}

/// A report of `epochs` alone.
ReportData with_epochs(std::vector<EpochMetrics> epochs) {
  ReportData data;
  data.epochs = std::move(epochs);
  return data;
}

const std::vector<std::string> kFashion = {"T-shirt/top", "Trouser",   "Pullover", "Dress",
                                           "Coat",        "Sandal",    "Shirt",    "Sneaker",
                                           "Bag",         "Ankle boot"};

/// `classes` classes, each right `right` times and mistaken for the next class (t + 1) times.
ConfusionMatrix confusion_of(Index classes, int right) {
  ConfusionMatrix confusion(classes);
  for (Index t = 0; t < classes; ++t) {
    for (int i = 0; i < right; ++i)
      confusion.add(t, t);
    for (Index i = 0; i <= t; ++i)
      confusion.add(t, (t + 1) % classes);
  }
  return confusion;
}

/// A 28×28 image: a bright ring whose radius depends on `seed`, on black.
ReportImage ring_image(int seed, std::string truth, std::string prediction) {
  ReportImage image{{}, 28, 28, std::move(truth), std::move(prediction)};
  for (int row = 0; row < 28; ++row) {
    for (int col = 0; col < 28; ++col) {
      const double r = std::hypot(row - 13.5, col - 13.5);
      image.pixels.push_back(std::uint8_t(std::max(0.0, 255 - 60 * std::abs(r - 4 - seed % 8))));
    }
  }
  return image;
}

ReportData fashion_report(int epochs) {
  ReportData data;
  data.title = "Fashion-MNIST, 784-256-128-10";
  data.command_line =
      "scratchnet train --data fashion-mnist --model 256:relu,128:relu,10 --report r.html";
  data.epochs = falling_loss(epochs);
  data.class_names = kFashion;
  data.confusion = confusion_of(10, /*right=*/90);
  for (int i = 0; i < 30; ++i) {
    const std::string& truth = kFashion[i % 10];
    data.images.push_back(ring_image(i, truth, i % 7 == 3 ? kFashion[(i + 1) % 10] : truth));
  }
  data.summary = {{"data", "Fashion-MNIST: 54000 training, 6000 validation, 10000 test rows"},
                  {"model", "784-256-128-10, ReLU, 235146 parameters"},
                  {"test accuracy", "0.8812"},
                  {"time", "15.2 s"}};
  return data;
}

TEST(HtmlReport, IsOneSelfContainedPage) {
  const std::string html = render_html_report(fashion_report(10));
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("</html>"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);  // inline SVG needs no xmlns
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_EQ(html.find("<canvas"), std::string::npos);
  EXPECT_NE(html.find("Content-Security-Policy"), std::string::npos);
  const auto sources = attributes(html, "src");
  EXPECT_EQ(sources.size(), 30u);
  for (const std::string& source : sources)
    EXPECT_EQ(source.rfind("data:image/png;base64,", 0), 0u) << source.substr(0, 40);
  EXPECT_NE(html.find("<title>Fashion-MNIST, 784-256-128-10</title>"), std::string::npos);
  EXPECT_NE(html.find("<th>model</th><td>784-256-128-10, ReLU, 235146 parameters</td>"),
            std::string::npos);
}

TEST(HtmlReport, ChartsHaveOnePolylinePerSeriesAndAPointPerEpoch) {
  const ReportData data = fashion_report(12);
  const std::string html = render_html_report(data);
  for (const std::string id : {"loss-chart", "accuracy-chart"}) {
    const std::string svg = element(html, "<svg id=\"" + id + "\"", "</svg>");
    ASSERT_FALSE(svg.empty()) << id;
    EXPECT_EQ(occurrences(svg, "<polyline"), 2u) << id;
    EXPECT_EQ(occurrences(svg, "data-legend="), 2u) << id;
    EXPECT_EQ(occurrences(svg, "<circle"), 24u) << id;  // markers, for few epochs
    for (const std::string series : {"training", "validation"}) {
      const auto points = parse_points(points_of(svg, series));
      ASSERT_EQ(points.size(), 12u) << id << " " << series;
      for (std::size_t i = 0; i < points.size(); ++i) {
        EXPECT_GE(points[i].first, 64) << id;  // inside the plot area
        EXPECT_LE(points[i].first, 544) << id;
        EXPECT_GE(points[i].second, 40) << id;
        EXPECT_LE(points[i].second, 272) << id;
        if (i > 0) {
          EXPECT_GT(points[i].first, points[i - 1].first) << id;  // epochs run right
        }
      }
    }
    // Loss falls, so its line descends the screen, where y grows downwards; accuracy climbs.
    const auto training = parse_points(points_of(svg, "training"));
    if (id == "loss-chart") {
      EXPECT_GT(training.back().second, training.front().second);
    } else {
      EXPECT_LT(training.back().second, training.front().second);
    }
  }
  // The per-epoch table, folded away.
  const std::string table = element(html, "<table class=\"metrics\" id=\"epochs\"", "</table>");
  EXPECT_EQ(occurrences(table, "<tr>"), 13u);
  char first[64];
  std::snprintf(first, sizeof first, "<tr><td>1</td><td>%.4f</td><td>%.4f</td>",
                data.epochs[0].loss, data.epochs[0].accuracy);
  EXPECT_NE(table.find(first), std::string::npos) << first << "\n" << table.substr(0, 600);
}

TEST(HtmlReport, EscapesEveryTextFromTheCaller) {
  ReportData data = fashion_report(3);
  const std::string nasty = "<b>&\"x\"";
  const std::string safe = "&lt;b&gt;&amp;&quot;x&quot;";
  data.title = nasty;
  data.command_line = "scratchnet train --data '" + nasty + "'";
  data.class_names[3] = nasty;
  data.summary.push_back({nasty, nasty});
  data.images[0].true_label = nasty;
  data.images[1].predicted_label = nasty;
  const std::string html = render_html_report(data);
  EXPECT_EQ(html.find(nasty), std::string::npos);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("<title>" + safe + "</title>"), std::string::npos);
  EXPECT_NE(html.find("<h1>" + safe + "</h1>"), std::string::npos);
  EXPECT_NE(html.find("<th>" + safe + "</th><td>" + safe + "</td>"), std::string::npos);
  EXPECT_NE(html.find("--data &#39;" + safe + "&#39;"), std::string::npos);
  EXPECT_NE(html.find("<td>3</td><th>" + safe + "</th>"), std::string::npos);  // per-class row
  EXPECT_GE(occurrences(html, safe), 8u);
}

TEST(HtmlReport, ShowsTheConfusionCountsAndPerClassMetrics) {
  ReportData data = fashion_report(2);
  const std::string html = render_html_report(data);
  const std::string table =
      element(html, "<table class=\"confusion\" id=\"confusion\"", "</table>");
  ASSERT_FALSE(table.empty());
  EXPECT_EQ(occurrences(table, "<tr>"), 11u);           // the header and a row per class
  EXPECT_EQ(occurrences(table, "<td"), 10u * 10 + 10);  // the counts and each row's support
  const ConfusionMatrix& confusion = *data.confusion;
  for (Index t = 0; t < 10; ++t) {
    // Row t: 90 right, t + 1 called class t + 1, 0 elsewhere (a zero cell is written "0").
    const std::string row = element(table, "<tr><th>" + kFashion[t] + "</th>", "</tr>");
    ASSERT_FALSE(row.empty()) << kFashion[t];
    EXPECT_EQ(occurrences(row, ">90</td>"), 1u) << row;
    EXPECT_EQ(occurrences(row, ">" + std::to_string(t + 1) + "</td>"), 1u) << row;
    EXPECT_EQ(occurrences(row, "class=\"zero\">0</td>"), 8u) << row;
    EXPECT_NE(row.find("<td class=\"support\">" + std::to_string(91 + t) + "</td>"),
              std::string::npos);
    EXPECT_EQ(confusion.count(t, t), 90);
  }
  const std::string metrics =
      element(html, "<table class=\"metrics\" id=\"per-class\"", "</table>");
  char expected[128];
  std::snprintf(expected, sizeof expected,
                "<th>Trouser</th><td>%.4f</td><td>%.4f</td><td>%.4f</td>", confusion.precision(1),
                confusion.recall(1), confusion.f1(1));
  EXPECT_NE(metrics.find(expected), std::string::npos) << expected << "\n" << metrics;
  EXPECT_NE(metrics.find("macro average"), std::string::npos);
}

TEST(HtmlReport, KeepsAHundredClassesCompact) {
  ReportData data;
  data.epochs = falling_loss(5);
  for (int c = 0; c < 100; ++c)
    data.class_names.push_back("class number " + std::to_string(c));
  data.confusion = confusion_of(100, /*right=*/5);
  const std::string html = render_html_report(data);
  const std::string table =
      element(html, "<table class=\"confusion compact\" id=\"confusion\"", "</table>");
  ASSERT_FALSE(table.empty());
  EXPECT_EQ(occurrences(table, "<tr>"), 101u);
  EXPECT_NE(table.find("<th title=\"class number 99\">99</th>"), std::string::npos);  // numbers
  EXPECT_EQ(occurrences(table, "<td></td>"), 100u * 98);  // zeros left blank
  EXPECT_LT(html.size(), 400'000u);
}

TEST(HtmlReport, SkipsNaNEpochsInTheCharts) {
  std::vector<EpochMetrics> epochs = falling_loss(6);
  epochs[0].val_loss = epochs[0].val_accuracy = kNaN;  // validation every other epoch
  epochs[2].val_loss = epochs[2].val_accuracy = kNaN;
  epochs[4].val_loss = epochs[4].val_accuracy = kNaN;
  epochs[3].loss = std::numeric_limits<double>::infinity();  // a diverged batch
  const std::string html = render_html_report(with_epochs(epochs));
  const std::string loss = element(html, "<svg id=\"loss-chart\"", "</svg>");
  EXPECT_EQ(parse_points(points_of(loss, "training")).size(), 5u);
  EXPECT_EQ(parse_points(points_of(loss, "validation")).size(), 3u);
  const std::string accuracy = element(html, "<svg id=\"accuracy-chart\"", "</svg>");
  EXPECT_EQ(parse_points(points_of(accuracy, "training")).size(), 6u);
  EXPECT_EQ(parse_points(points_of(accuracy, "validation")).size(), 3u);
  for (const std::string word : {"nan", "NaN", "inf"}) {
    EXPECT_EQ(loss.find(word), std::string::npos) << word;
    EXPECT_EQ(accuracy.find(word), std::string::npos) << word;
  }
  // The epoch table shows the missing values as dashes.
  EXPECT_NE(html.find("<tr><td>1</td><td>"), std::string::npos);
  EXPECT_GE(occurrences(element(html, "id=\"epochs\"", "</table>"), "<td>–</td>"), 6u);
}

TEST(HtmlReport, DrawsASingleEpochAsMarkers) {
  const std::string html = render_html_report(with_epochs(falling_loss(1)));
  const std::string loss = element(html, "<svg id=\"loss-chart\"", "</svg>");
  ASSERT_FALSE(loss.empty());
  const auto points = parse_points(points_of(loss, "training"));
  ASSERT_EQ(points.size(), 1u);
  EXPECT_NEAR(points[0].first, (64 + 544) / 2.0, 0.1);  // centred on its one epoch tick
  EXPECT_EQ(occurrences(loss, "<circle"), 2u);          // a polyline of one point draws nothing
  EXPECT_EQ(loss.find("nan"), std::string::npos);
}

TEST(HtmlReport, LeavesOutTheAccuracyChartForRegression) {
  std::vector<EpochMetrics> epochs = falling_loss(4);
  for (EpochMetrics& epoch : epochs)
    epoch.accuracy = epoch.val_accuracy = kNaN;
  epochs[1].val_loss = kNaN;
  const std::string html = render_html_report(with_epochs(epochs));
  EXPECT_EQ(html.find("accuracy-chart"), std::string::npos);
  const std::string loss = element(html, "<svg id=\"loss-chart\"", "</svg>");
  EXPECT_EQ(occurrences(loss, "<polyline"), 2u);
  EXPECT_EQ(html.find("id=\"confusion\""), std::string::npos);
  EXPECT_EQ(html.find("<th>accuracy</th>"), std::string::npos);  // nor an accuracy column
}

TEST(HtmlReport, ShowsRegressionMetricsAndAScatterOfPredictedAgainstTrue) {
  ReportData data;
  RegressionMetrics metrics(1);
  Matrix<double> predicted(3, 1), truth(3, 1);
  predicted << 110, 190, 260;
  truth << 100, 200, 300;
  metrics.add_batch<double>(predicted, truth);
  data.regression = metrics;
  data.scatter = PredictedVsTrue{"test", "price", {100, 200, 300, kNaN}, {110, 190, 260, 5}};
  const std::string html = render_html_report(data);
  // By hand: errors 10, −10, −40: MSE 1800/3 = 600, MAE 20, R² 1 − 1800 / 20000 = 0.91.
  EXPECT_NE(html.find("<th>test MSE</th><td>600</td>"), std::string::npos);
  EXPECT_NE(html.find("<th>test MAE</th><td>20</td>"), std::string::npos);
  EXPECT_NE(html.find("<th>test R²</th><td>0.9100</td>"), std::string::npos);
  EXPECT_NE(html.find("<th>test rows</th><td>3</td>"), std::string::npos);
  const std::string svg = element(html, "<svg id=\"scatter-chart\"", "</svg>");
  ASSERT_FALSE(svg.empty());
  EXPECT_EQ(occurrences(svg, "<circle"), 3u);  // the NaN row is left out
  EXPECT_NE(svg.find("true price"), std::string::npos);
  EXPECT_NE(svg.find("predicted price"), std::string::npos);
  // Both axes share one range, so that the line of exact predictions is the diagonal, and each
  // circle sits where its values put it on that range.
  const auto line = element(svg, "<line data-series=\"perfect\"", ">");
  const auto x1 = attributes(line, "x1"), y1 = attributes(line, "y1"), x2 = attributes(line, "x2"),
             y2 = attributes(line, "y2");
  ASSERT_EQ(x1.size(), 1u);
  EXPECT_DOUBLE_EQ(std::stod(x1[0]) + std::stod(y1[0]), std::stod(x2[0]) + std::stod(y2[0]));
  const auto cx = attributes(svg, "cx"), cy = attributes(svg, "cy");
  ASSERT_EQ(cx.size(), 3u);
  const double low = std::stod(x1[0]), high = std::stod(x2[0]);  // pixels of the range's ends
  // 100..300 padded by 3% is 94..306; five ticks of 50 cover it from 50 to 350.
  const double range_low = 50, range_high = 350;
  const auto pixel = [&](double v) {
    return low + (v - range_low) / (range_high - range_low) * (high - low);
  };
  EXPECT_NEAR(std::stod(cx[0]), pixel(100), 0.06);
  EXPECT_NEAR(std::stod(cx[2]), pixel(300), 0.06);
  EXPECT_NEAR(std::stod(cy[2]), std::stod(y1[0]) - (pixel(260) - low), 0.06);
  EXPECT_EQ(html.find("accuracy"), std::string::npos);
}

TEST(RunSummary, ListsEverySettingWithTheValuesUsed) {
  training::TrainSettings settings;
  settings.layers = "8:relu,1";
  settings.loss = "mse";
  settings.optimizer = "adamw";
  settings.schedule = "step";
  settings.epochs = 9;
  io::ModelDescription description;
  description.spec = "8:relu,1";
  description.mean = {1, 2};
  description.scale = {3, 4};
  description.target = data::TargetStandardization{152.5, 77.25};
  const auto rows = settings_summary(settings, description);
  const auto value = [&](const std::string& key) {
    for (const auto& [name, text] : rows)
      if (name == key) return text;
    return std::string("(missing)");
  };
  EXPECT_EQ(value("learning rate"), "0.003 (the optimizer's default)");
  EXPECT_EQ(value("weight decay"), "0.01 (the optimizer's default)");
  EXPECT_EQ(value("schedule"), "step (every 3 epochs, gamma 0.1)");
  EXPECT_EQ(value("normalization"), "standard");
  EXPECT_EQ(value("target normalization"), "standard (mean 152.5, scale 77.25)");
  EXPECT_EQ(rows.size(), 17u);  // one per setting; nesterov rides with momentum
  settings.optimizer = "sgd";
  settings.lr = 0.5;
  settings.weight_decay = 0.25;
  settings.momentum = 0.9;
  settings.nesterov = true;
  description = {};
  const auto sgd = settings_summary(settings, description);
  EXPECT_EQ(sgd[3].second, "0.5");
  EXPECT_EQ(sgd[4].second, "0.9, Nesterov");
  EXPECT_EQ(sgd[5].second, "0.25");
  EXPECT_EQ(sgd.back().second, "none");

  // 1,700,000,000 s after the epoch (by `date -u -d @1700000000`).
  EXPECT_EQ(utc_iso8601(std::chrono::system_clock::time_point(std::chrono::seconds(1700000000))),
            "2023-11-14T22:13:20Z");
  EXPECT_EQ(duration_text(0.4213), "0.42 s");
  EXPECT_EQ(duration_text(12.34), "12.3 s");
  EXPECT_EQ(duration_text(123.4), "2 min 03 s");
  EXPECT_EQ(duration_text(3723), "1 h 02 min 03 s");
}

TEST(HtmlReport, DrawsOnlyTheSeriesThatHaveValues) {
  std::vector<EpochMetrics> epochs = falling_loss(3);
  for (EpochMetrics& epoch : epochs)
    epoch.val_loss = epoch.val_accuracy = kNaN;  // no validation data
  const std::string html = render_html_report(with_epochs(epochs));
  EXPECT_EQ(occurrences(html, "<polyline"), 2u);
  EXPECT_EQ(html.find("data-series=\"validation\""), std::string::npos);
  EXPECT_EQ(render_html_report({}).find("<svg"), std::string::npos);  // no epochs, no chart
}

TEST(HtmlReport, RejectsAnImageWhosePixelsDoNotFit) {
  ReportData data;
  data.images.push_back({std::vector<std::uint8_t>(27 * 28), 28, 28, "a", "a"});
  EXPECT_THROW(render_html_report(data), std::invalid_argument);
  EXPECT_THROW(encode_grayscale_png({}, 0, 0), std::invalid_argument);
}

// The first convolution's filters, on the layer's one scale: 0 is mid-grey (127.5 rounds to
// 128), the largest |weight| 0 or 255, and a weight w is round(127.5 + 127.5 · w / largest).
TEST(FilterImages, DrawTheFirstConvolutionsFiltersOnOneScale) {
  Sequential<double> model = build_model<double>(
      parse_layer_spec("conv:2:2:padding=1,relu,conv:3:1,flatten,2"), Shape{2, 3, 3});
  // 0.weight [2 filters, 2 channels, 2, 2]: filter 0 channel 1 holds -0.5 … 1, the largest.
  const std::vector<double> first = {0, 0, 0, 0, -0.5, 0.25, 0.5, 1, -0.1, 0.1, 0, -1, 0, 0, 0, 0};
  std::copy(first.begin(), first.end(), model.parameters().data());
  model.parameters().tail(model.parameters().size() - 16).setConstant(9);  // later layers: ignored
  std::string layer;
  const std::vector<ReportImage> filters = first_conv_filters(model, layer);
  EXPECT_EQ(layer,
            "0: Conv2d(in_channels=2, out_channels=2, kernel_size=2, stride=1, padding=1, "
            "dilation=1, groups=1, bias=True)");
  ASSERT_EQ(filters.size(), 4u);  // 2 filters × 2 channels
  EXPECT_EQ(filters[1].true_label, "0 · channel 1");
  EXPECT_EQ(filters[1].width, 2);
  EXPECT_EQ(filters[1].pixels, (std::vector<std::uint8_t>{64, 159, 191, 255}));
  EXPECT_EQ(filters[0].pixels, (std::vector<std::uint8_t>{128, 128, 128, 128}));
  EXPECT_EQ(filters[2].pixels, (std::vector<std::uint8_t>{115, 140, 128, 0}));
  EXPECT_EQ(first_conv_filters(model, layer, /*most_filters=*/1, /*most_channels=*/1).size(), 1u);

  ReportData data;
  data.filters = filters;
  data.filters_layer = layer;
  const std::string html = render_html_report(data);
  EXPECT_EQ(occurrences(html, "<figure class=\"filter\">"), 4u);
  EXPECT_NE(html.find("<section id=\"filters\">"), std::string::npos);
  EXPECT_NE(html.find("alt=\"filter 1 · channel 0\""), std::string::npos);

  std::string none = "unchanged";
  EXPECT_TRUE(first_conv_filters(build_model<double>(parse_layer_spec("3,2"), 4), none).empty());
  EXPECT_EQ(none, "unchanged");
}

// A PNG decoded as a test can trust: every chunk's CRC checked, the IDATs inflated with zlib
// and each row's filter undone (PNG spec, section 9). 8-bit, non-interlaced images only.
struct DecodedPng {
  std::uint32_t width = 0, height = 0;
  int color_type = 0;
  int channels = 0;
  std::vector<std::uint8_t> pixels;  // [height, width, channels]
};

std::uint32_t read_u32(const std::vector<std::uint8_t>& bytes, std::size_t at) {
  return std::uint32_t(bytes.at(at)) << 24 | std::uint32_t(bytes.at(at + 1)) << 16 |
         std::uint32_t(bytes.at(at + 2)) << 8 | bytes.at(at + 3);
}

DecodedPng decode_png(const std::vector<std::uint8_t>& file) {
  const std::vector<std::uint8_t> signature = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  if (file.size() < 8 || !std::equal(signature.begin(), signature.end(), file.begin()))
    throw std::runtime_error("not a PNG signature");
  DecodedPng png;
  std::vector<std::uint8_t> compressed;
  bool ended = false;
  for (std::size_t at = 8; at < file.size() && !ended;) {
    const std::uint32_t length = read_u32(file, at);
    const std::string type(file.begin() + at + 4, file.begin() + at + 8);
    if (at + 12 + length > file.size()) throw std::runtime_error(type + " runs past the end");
    const std::uint8_t* data = file.data() + at + 8;
    const uLong crc = crc32(crc32(0L, Z_NULL, 0), file.data() + at + 4, length + 4);
    if (crc != read_u32(file, at + 8 + length)) throw std::runtime_error("bad CRC in " + type);
    if (type == "IHDR") {
      png.width = read_u32(file, at + 8);
      png.height = read_u32(file, at + 12);
      png.color_type = data[9];
      if (data[8] != 8 || data[12] != 0) throw std::runtime_error("not 8-bit non-interlaced");
      const int channels[] = {1, 0, 3, 0, 2, 0, 4};
      png.channels = png.color_type <= 6 ? channels[png.color_type] : 0;
      if (png.channels == 0) throw std::runtime_error("unsupported colour type");
    } else if (type == "IDAT") {
      compressed.insert(compressed.end(), data, data + length);
    } else if (type == "IEND") {
      ended = true;
    }
    at += 12 + length;
  }
  if (!ended || png.channels == 0) throw std::runtime_error("no IHDR or IEND");
  const std::size_t stride = std::size_t(png.width) * png.channels;
  std::vector<std::uint8_t> raw(png.height * (stride + 1));
  uLongf raw_size = raw.size();
  if (uncompress(raw.data(), &raw_size, compressed.data(), compressed.size()) != Z_OK ||
      raw_size != raw.size())
    throw std::runtime_error("IDAT does not inflate to the image's size");
  png.pixels.resize(png.height * stride);
  const int bpp = png.channels;
  for (std::size_t row = 0; row < png.height; ++row) {
    const std::uint8_t filter = raw[row * (stride + 1)];
    const std::uint8_t* in = raw.data() + row * (stride + 1) + 1;
    std::uint8_t* out = png.pixels.data() + row * stride;
    const std::uint8_t* up = row > 0 ? out - stride : nullptr;
    for (std::size_t i = 0; i < stride; ++i) {
      const int a = i >= std::size_t(bpp) ? out[i - bpp] : 0, b = up ? up[i] : 0,
                c = up && i >= std::size_t(bpp) ? up[i - bpp] : 0;
      int predicted = 0;
      switch (filter) {
        case 0:
          break;
        case 1:
          predicted = a;
          break;
        case 2:
          predicted = b;
          break;
        case 3:
          predicted = (a + b) / 2;
          break;
        case 4: {
          const int p = a + b - c, pa = std::abs(p - a), pb = std::abs(p - b), pc = std::abs(p - c);
          predicted = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default:
          throw std::runtime_error("bad filter type " + std::to_string(filter));
      }
      out[i] = std::uint8_t(in[i] + predicted);
    }
  }
  return png;
}

TEST(HtmlReportPng, RoundTripsThroughZlib) {
  for (const auto& [width, height] :
       std::vector<std::pair<Index, Index>>{{1, 1}, {7, 5}, {28, 28}}) {
    std::vector<std::uint8_t> pixels;
    for (Index i = 0; i < width * height; ++i)
      pixels.push_back(std::uint8_t((i * 37 + i / width * 11) % 256));
    const std::vector<std::uint8_t> file = encode_grayscale_png(pixels, width, height);
    const DecodedPng png = decode_png(file);  // checks the signature and every CRC
    EXPECT_EQ(png.width, std::uint32_t(width));
    EXPECT_EQ(png.height, std::uint32_t(height));
    EXPECT_EQ(png.color_type, 0);
    EXPECT_EQ(png.pixels, pixels) << width << "×" << height;
    EXPECT_EQ(std::string(file.begin() + 12, file.begin() + 16), "IHDR");  // first chunk
    EXPECT_EQ(std::string(file.end() - 8, file.end() - 4), "IEND");        // last chunk
  }
}

std::vector<std::uint8_t> base64_decoded(const std::string& text) {
  const std::string digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::vector<std::uint8_t> bytes;
  std::uint32_t group = 0;
  int bits = 0;
  for (char c : text) {
    if (c == '=') break;
    group = group << 6 | std::uint32_t(digits.find(c));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes.push_back(std::uint8_t(group >> bits));
    }
  }
  return bytes;
}

TEST(HtmlReportPng, ReportImagesAreItsPngsInBase64) {
  const ReportData data = fashion_report(1);
  const auto sources = attributes(render_html_report(data), "src");
  ASSERT_EQ(sources.size(), data.images.size());
  for (std::size_t i = 0; i < sources.size(); ++i) {
    const std::string prefix = "data:image/png;base64,";
    const ReportImage& image = data.images[i];
    EXPECT_EQ(base64_decoded(sources[i].substr(prefix.size())),
              encode_grayscale_png(image.pixels, image.width, image.height));
    EXPECT_EQ(sources[i].size() % 4, prefix.size() % 4);
  }
}

// Chromium: the page as a browser draws it.

std::string shell_quoted(const std::string& argument) {
  std::string quoted = "'";
  for (char c : argument)
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream file(path, std::ios::binary);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

/// Runs headless Chromium on `page` with a fresh profile and `arguments`, stdout to `out`;
/// returns its exit status.
int run_chromium(const std::filesystem::path& directory, const std::string& profile,
                 const std::string& arguments, const std::filesystem::path& page,
                 const std::filesystem::path& out) {
  const std::string command =
      "timeout 60 /usr/bin/chromium --headless --no-sandbox --disable-gpu --disable-quic "
      "--no-first-run --disable-background-networking --disable-component-update --disable-sync "
      "--hide-scrollbars --force-device-scale-factor=1 --force-color-profile=srgb "
      "--user-data-dir=" +
      shell_quoted((directory / profile).string()) + " " + arguments + " " +
      shell_quoted("file://" + page.string()) + " >" + shell_quoted(out.string()) + " 2>" +
      shell_quoted((directory / (profile + ".err")).string());
  return std::system(command.c_str());
}

TEST(HtmlReportInChromium, DrawsTheChartsAndImages) {
  if (access("/usr/bin/chromium", X_OK) != 0)
    GTEST_SKIP() << "/usr/bin/chromium is not installed (scripts/install-deps.sh installs it)";
  const std::filesystem::path directory = std::filesystem::path(::testing::TempDir()) /
                                          ("scratchnet_report_" + std::to_string(::getpid()));
  std::filesystem::remove_all(directory);
  std::filesystem::create_directories(directory);
  // 80 epochs: past the markers' limit, so the series' colours come from the lines and legends
  // alone. No confusion matrix: its diagonal is shaded in the training line's blue.
  ReportData data = fashion_report(80);
  data.confusion.reset();
  const std::string html = render_html_report(data);
  const std::filesystem::path page = directory / "report.html";
  std::ofstream(page, std::ios::binary) << html;

  ASSERT_EQ(run_chromium(directory, "dom", "--dump-dom", page, directory / "dom.html"), 0)
      << read_text(directory / "dom.err");
  const std::string dom = read_text(directory / "dom.html");
  for (const std::string id : {"loss-chart", "accuracy-chart"}) {
    const std::string svg = element(dom, "<svg id=\"" + id + "\"", "</svg>");
    ASSERT_FALSE(svg.empty()) << id << " is not in Chromium's DOM:\n" << dom.substr(0, 2000);
    const std::string ours = element(html, "<svg id=\"" + id + "\"", "</svg>");
    for (const std::string series : {"training", "validation"}) {
      EXPECT_EQ(points_of(svg, series), points_of(ours, series)) << id << " " << series;
      EXPECT_EQ(parse_points(points_of(svg, series)).size(), 80u) << id << " " << series;
    }
  }
  EXPECT_EQ(occurrences(dom, "data:image/png;base64,"), 30u);

  ASSERT_EQ(run_chromium(directory, "shot",
                         "--window-size=1200,2000 --screenshot=" +
                             shell_quoted((directory / "shot.png").string()),
                         page, directory / "shot.out"),
            0)
      << read_text(directory / "shot.err");
  const std::string shot = read_text(directory / "shot.png");
  const DecodedPng png = decode_png(std::vector<std::uint8_t>(shot.begin(), shot.end()));
  ASSERT_EQ(png.width, 1200u);
  ASSERT_EQ(png.height, 2000u);
  ASSERT_GE(png.channels, 3);
  // Pixels of the training line's blue, the validation line's orange, and pure black (the
  // images' backgrounds; text is #222). Without the polylines this page has 80 blue and 56
  // orange pixels (the legends' swatches); with them, over a thousand and nearly nine hundred.
  std::size_t blue = 0, orange = 0, black = 0, white = 0;
  auto near = [](const std::uint8_t* p, int r, int g, int b) {
    return std::abs(p[0] - r) <= 4 && std::abs(p[1] - g) <= 4 && std::abs(p[2] - b) <= 4;
  };
  for (std::size_t i = 0; i < png.pixels.size(); i += png.channels) {
    const std::uint8_t* p = png.pixels.data() + i;
    blue += near(p, 31, 119, 180);
    orange += near(p, 255, 127, 14);
    black += near(p, 0, 0, 0);
    white += near(p, 255, 255, 255) || near(p, 250, 250, 250);
  }
  EXPECT_GT(blue, 600u) << "the training lines are not drawn";
  EXPECT_GT(orange, 400u) << "the validation lines are not drawn";
  EXPECT_GT(black, 10u * 84 * 84 / 2) << "the test images are not drawn";
  EXPECT_LT(white, png.pixels.size() / png.channels * 95 / 100) << "the page is nearly blank";
  if (HasFailure()) {
    std::cerr << "Chromium's output is kept in " << directory << "\n";
  } else {
    std::filesystem::remove_all(directory);
  }
}

}  // namespace
}  // namespace scratchnet::report
