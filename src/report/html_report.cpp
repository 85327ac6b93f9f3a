#include "scratchnet/report/html_report.hpp"

#include <zlib.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <iterator>
#include <limits>
#include <stdexcept>
#include <string_view>

namespace scratchnet::report {
namespace {

// Text

/// `text` with the five characters that mean something in HTML replaced by entities, so it is
/// safe both as element content and inside a double- or single-quoted attribute.
std::string escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

/// `value` with `digits` after the point; a dash for NaN; general notation beyond 1e9.
std::string fixed(double value, int digits) {
  if (std::isnan(value)) return "–";
  if (std::isinf(value)) return value > 0 ? "∞" : "−∞";
  char buffer[64];
  const auto format = std::abs(value) < 1e9 ? std::chars_format::fixed : std::chars_format::general;
  return std::string(buffer, std::to_chars(buffer, std::end(buffer), value, format, digits).ptr);
}

/// `value` with `digits` significant digits (a learning rate: "0.001", "3.162e-05").
std::string significant(double value, int digits) {
  if (!std::isfinite(value)) return fixed(value, 0);
  char buffer[64];
  return std::string(
      buffer,
      std::to_chars(buffer, std::end(buffer), value, std::chars_format::general, digits).ptr);
}

/// The name of class `c`: the caller's, or its index when there is none.
std::string class_name(const ReportData& data, Index c) {
  return std::size_t(c) < data.class_names.size() && !data.class_names[c].empty()
             ? data.class_names[c]
             : std::to_string(c);
}

// PNG and base64

void put_u32(std::vector<std::uint8_t>& out, std::uint32_t value) {  // big-endian, as PNG wants
  for (int shift = 24; shift >= 0; shift -= 8)
    out.push_back(std::uint8_t(value >> shift));
}

/// Appends one chunk: length, type, data, then the CRC-32 of type and data.
void put_chunk(std::vector<std::uint8_t>& out, const char (&type)[5],
               std::span<const std::uint8_t> data) {
  put_u32(out, std::uint32_t(data.size()));
  const std::size_t type_at = out.size();
  out.insert(out.end(), type, type + 4);
  out.insert(out.end(), data.begin(), data.end());
  const uLong crc = ::crc32(::crc32(0L, Z_NULL, 0), out.data() + type_at, uInt(4 + data.size()));
  put_u32(out, std::uint32_t(crc));
}

std::string base64(std::span<const std::uint8_t> bytes) {
  static constexpr char kDigits[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t group = std::uint32_t(bytes[i]) << 16;
    if (n > 1) group |= std::uint32_t(bytes[i + 1]) << 8;
    if (n > 2) group |= bytes[i + 2];
    for (std::size_t k = 0; k < 4; ++k)
      out += k <= n ? kDigits[(group >> (18 - 6 * k)) & 63] : '=';
  }
  return out;
}

// Charts

constexpr double kChartWidth = 560, kChartHeight = 320;
constexpr double kLeft = 64, kRight = 544, kTop = 40, kBottom = 272;  // the plot area
constexpr std::size_t kMostMarkers = 60;  // more points than this: the line alone

struct Series {
  std::string name;   // the legend's text and the polyline's data-series
  std::string color;  // stroke and markers
  bool dashed = false;
  std::vector<std::pair<double, double>> points;  // (epoch, value), finite values only
};

/// An axis range widened to ticks at 1, 2 or 5 × 10^k, and the digits its labels need.
struct Axis {
  double low = 0, high = 1;
  std::vector<double> ticks;
  int decimals = 0;
};

/// About `count` ticks covering [low, high] and 3% more each way, so that no point sits on the
/// frame; a single value gets a range around it.
Axis nice_axis(double low, double high, int count) {
  const double pad = high > low ? (high - low) * 0.03 : low == 0 ? 1 : std::abs(low) * 0.1;
  low -= pad;
  high += pad;
  const double raw = (high - low) / count;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double norm = raw / magnitude;
  const double step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * magnitude;
  const double first = std::floor(low / step + 1e-9), last = std::ceil(high / step - 1e-9);
  Axis axis{first * step, last * step, {}, std::max(0, -int(std::floor(std::log10(step) + 1e-9)))};
  for (double i = first; i <= last; ++i)
    axis.ticks.push_back(i * step + 0.0);  // + 0.0 turns −0 into 0
  return axis;
}

/// Epoch ticks: whole numbers from first to last, about ten of them.
Axis epoch_axis(double first, double last) {
  if (first == last) return {first - 1, last + 1, {first}, 0};
  Axis axis = nice_axis(first, last, 10);
  const double step =
      std::max(1.0, std::round(axis.ticks.size() > 1 ? axis.ticks[1] - axis.ticks[0] : 1.0));
  axis.low = first;
  axis.high = last;
  axis.ticks.clear();
  for (double tick = std::ceil(first / step) * step; tick <= last; tick += step)
    axis.ticks.push_back(tick);
  axis.decimals = 0;
  return axis;
}

std::string coordinate(double value) {
  return fixed(value, 1);
}

/// One line chart as inline SVG: axes with ticks and grid lines, a polyline and markers per
/// series, a legend. `id` becomes the svg element's id.
std::string line_chart(const std::string& id, const std::string& title, const std::string& y_label,
                       const std::vector<Series>& series, const Axis& x) {
  double low = std::numeric_limits<double>::infinity(), high = -low;
  for (const Series& s : series) {
    for (const auto& [epoch, value] : s.points) {
      low = std::min(low, value);
      high = std::max(high, value);
    }
  }
  const Axis y = nice_axis(low, high, 5);
  auto px = [&](double value) {
    return kLeft + (value - x.low) / (x.high - x.low) * (kRight - kLeft);
  };
  auto py = [&](double value) {
    return kBottom - (value - y.low) / (y.high - y.low) * (kBottom - kTop);
  };

  const std::string width = fixed(kChartWidth, 0), height = fixed(kChartHeight, 0);
  std::string svg = "<svg id=\"" + id + "\" class=\"chart\" viewBox=\"0 0 " + width + " " + height +
                    "\" width=\"" + width + "\" height=\"" + height +
                    "\" role=\"img\" aria-label=\"" + escaped(title) + " per epoch\">\n";
  svg += "<text x=\"" + coordinate(kLeft) + "\" y=\"22\" font-size=\"15\" font-weight=\"bold\">" +
         escaped(title) + "</text>\n";

  svg += "<g stroke=\"#e3e3e3\" stroke-width=\"1\">";  // grid
  for (double tick : y.ticks) {
    const std::string at = coordinate(py(tick));
    svg += "<line x1=\"" + coordinate(kLeft) + "\" y1=\"" + at + "\" x2=\"" + coordinate(kRight) +
           "\" y2=\"" + at + "\"/>";
  }
  svg += "</g>\n<g stroke=\"#444\" stroke-width=\"1\">";  // axes and tick marks
  svg += "<line x1=\"" + coordinate(kLeft) + "\" y1=\"" + coordinate(kBottom) + "\" x2=\"" +
         coordinate(kRight) + "\" y2=\"" + coordinate(kBottom) + "\"/>";
  svg += "<line x1=\"" + coordinate(kLeft) + "\" y1=\"" + coordinate(kTop) + "\" x2=\"" +
         coordinate(kLeft) + "\" y2=\"" + coordinate(kBottom) + "\"/>";
  for (double tick : y.ticks) {
    const std::string at = coordinate(py(tick));
    svg += "<line x1=\"" + coordinate(kLeft - 5) + "\" y1=\"" + at + "\" x2=\"" +
           coordinate(kLeft) + "\" y2=\"" + at + "\"/>";
  }
  for (double tick : x.ticks) {
    const std::string at = coordinate(px(tick));
    svg += "<line x1=\"" + at + "\" y1=\"" + coordinate(kBottom) + "\" x2=\"" + at + "\" y2=\"" +
           coordinate(kBottom + 5) + "\"/>";
  }
  svg += "</g>\n<g font-size=\"11\" fill=\"#333\">";  // tick labels and axis titles
  for (double tick : y.ticks) {
    svg += "<text x=\"" + coordinate(kLeft - 8) + "\" y=\"" + coordinate(py(tick) + 4) +
           "\" text-anchor=\"end\">" + fixed(tick, y.decimals) + "</text>";
  }
  for (double tick : x.ticks) {
    svg += "<text x=\"" + coordinate(px(tick)) + "\" y=\"" + coordinate(kBottom + 18) +
           "\" text-anchor=\"middle\">" + fixed(tick, 0) + "</text>";
  }
  svg += "<text x=\"" + coordinate((kLeft + kRight) / 2) + "\" y=\"" + coordinate(kBottom + 38) +
         "\" text-anchor=\"middle\">epoch</text>";
  svg += "<text transform=\"translate(16 " + coordinate((kTop + kBottom) / 2) +
         ") rotate(-90)\" text-anchor=\"middle\">" + escaped(y_label) + "</text></g>\n";

  double legend_x = kRight;  // the legend fills the title row from the right
  for (auto s = series.rbegin(); s != series.rend(); ++s) {
    legend_x -= 30 + 7.0 * double(s->name.size());
    const std::string dash = s->dashed ? " stroke-dasharray=\"6 3\"" : "";
    svg += "<g data-legend=\"" + escaped(s->name) + "\"><line x1=\"" + coordinate(legend_x) +
           "\" y1=\"18\" x2=\"" + coordinate(legend_x + 20) + "\" y2=\"18\" stroke=\"" + s->color +
           "\" stroke-width=\"2.5\"" + dash + "/><text x=\"" + coordinate(legend_x + 25) +
           "\" y=\"22\" font-size=\"12\">" + escaped(s->name) + "</text></g>\n";
  }
  for (const Series& s : series) {
    std::string points;
    for (const auto& [epoch, value] : s.points) {
      if (!points.empty()) points += ' ';
      points += coordinate(px(epoch)) + "," + coordinate(py(value));
    }
    const std::string dash = s.dashed ? " stroke-dasharray=\"6 3\"" : "";
    svg += "<polyline data-series=\"" + escaped(s.name) + "\" fill=\"none\" stroke=\"" + s.color +
           "\" stroke-width=\"2\" stroke-linejoin=\"round\"" + dash + " points=\"" + points +
           "\"/>\n";
    if (s.points.size() <= kMostMarkers) {
      svg += "<g fill=\"" + s.color + "\">";
      for (const auto& [epoch, value] : s.points)
        svg += "<circle cx=\"" + coordinate(px(epoch)) + "\" cy=\"" + coordinate(py(value)) +
               "\" r=\"3\"/>";
      svg += "</g>\n";
    }
  }
  return svg + "</svg>\n";
}

/// The finite values of one field of every epoch, as (epoch, value) points.
std::vector<std::pair<double, double>> points_of(const std::vector<EpochMetrics>& epochs,
                                                 double EpochMetrics::*field) {
  std::vector<std::pair<double, double>> points;
  for (const EpochMetrics& epoch : epochs) {
    if (std::isfinite(epoch.*field)) points.emplace_back(epoch.epoch, epoch.*field);
  }
  return points;
}

/// A chart of a training field and its validation counterpart; empty when neither has a value.
std::string training_chart(const std::vector<EpochMetrics>& epochs, const std::string& id,
                           const std::string& title, const std::string& y_label,
                           double EpochMetrics::*training, double EpochMetrics::*validation) {
  std::vector<Series> series;
  Series train{"training", "#1f77b4", false, points_of(epochs, training)};
  Series valid{"validation", "#ff7f0e", true, points_of(epochs, validation)};
  if (!train.points.empty()) series.push_back(std::move(train));
  if (!valid.points.empty()) series.push_back(std::move(valid));
  if (series.empty()) return "";
  const auto [first, last] = std::minmax_element(
      epochs.begin(), epochs.end(),
      [](const EpochMetrics& a, const EpochMetrics& b) { return a.epoch < b.epoch; });
  return line_chart(id, title, y_label, series, epoch_axis(first->epoch, last->epoch));
}

/// Predicted against true values as inline SVG: a circle per finite pair, the diagonal of
/// perfect predictions, both axes on one range so that the diagonal is at 45°.
std::string scatter_chart(const PredictedVsTrue& scatter) {
  constexpr double kSize = 440, kLow = 64, kHigh = 416;  // square plot area [kLow, kHigh]²
  std::vector<std::pair<double, double>> points;
  double low = std::numeric_limits<double>::infinity(), high = -low;
  for (std::size_t i = 0; i < std::min(scatter.truth.size(), scatter.predicted.size()); ++i) {
    const double x = scatter.truth[i], y = scatter.predicted[i];
    if (!std::isfinite(x) || !std::isfinite(y)) continue;
    points.emplace_back(x, y);
    low = std::min({low, x, y});
    high = std::max({high, x, y});
  }
  if (points.empty()) return "";
  const Axis axis = nice_axis(low, high, 5);
  auto px = [&](double v) {
    return kLow + (v - axis.low) / (axis.high - axis.low) * (kHigh - kLow);
  };
  auto py = [&](double v) {
    return kHigh - (v - axis.low) / (axis.high - axis.low) * (kHigh - kLow);
  };
  const std::string size = fixed(kSize, 0), rows = escaped(scatter.rows);
  const std::string label = escaped(scatter.label.empty() ? "value" : scatter.label);
  std::string svg = "<svg id=\"scatter-chart\" class=\"chart\" viewBox=\"0 0 " + size + " " + size +
                    "\" width=\"" + size + "\" height=\"" + size +
                    "\" role=\"img\" aria-label=\"predicted against true " + label + ", " + rows +
                    " rows\">\n";
  svg += "<text x=\"" + coordinate(kLow) + "\" y=\"22\" font-size=\"15\" font-weight=\"bold\">" +
         "Predicted against true, " + rows + " rows</text>\n";
  svg += "<g stroke=\"#e3e3e3\" stroke-width=\"1\">";  // grid
  for (double tick : axis.ticks) {
    svg += "<line x1=\"" + coordinate(kLow) + "\" y1=\"" + coordinate(py(tick)) + "\" x2=\"" +
           coordinate(kHigh) + "\" y2=\"" + coordinate(py(tick)) + "\"/>";
    svg += "<line x1=\"" + coordinate(px(tick)) + "\" y1=\"" + coordinate(kLow) + "\" x2=\"" +
           coordinate(px(tick)) + "\" y2=\"" + coordinate(kHigh) + "\"/>";
  }
  svg += "</g>\n<g stroke=\"#444\" stroke-width=\"1\" fill=\"none\"><rect x=\"" + coordinate(kLow) +
         "\" y=\"" + coordinate(kLow) + "\" width=\"" + coordinate(kHigh - kLow) + "\" height=\"" +
         coordinate(kHigh - kLow) + "\"/></g>\n";
  svg += "<g font-size=\"11\" fill=\"#333\">";
  for (double tick : axis.ticks) {
    const std::string text = fixed(tick, axis.decimals);
    svg += "<text x=\"" + coordinate(kLow - 8) + "\" y=\"" + coordinate(py(tick) + 4) +
           "\" text-anchor=\"end\">" + text + "</text>";
    svg += "<text x=\"" + coordinate(px(tick)) + "\" y=\"" + coordinate(kHigh + 18) +
           "\" text-anchor=\"middle\">" + text + "</text>";
  }
  svg += "<text x=\"" + coordinate((kLow + kHigh) / 2) + "\" y=\"" + coordinate(kHigh + 38) +
         "\" text-anchor=\"middle\">true " + label + "</text>";
  svg += "<text transform=\"translate(16 " + coordinate((kLow + kHigh) / 2) +
         ") rotate(-90)\" text-anchor=\"middle\">predicted " + label + "</text></g>\n";
  svg += "<line data-series=\"perfect\" x1=\"" + coordinate(px(axis.low)) + "\" y1=\"" +
         coordinate(py(axis.low)) + "\" x2=\"" + coordinate(px(axis.high)) + "\" y2=\"" +
         coordinate(py(axis.high)) + "\" stroke=\"#888\" stroke-width=\"1.5\" " +
         "stroke-dasharray=\"6 3\"/>\n";
  svg += "<g data-series=\"rows\" fill=\"#1f77b4\" fill-opacity=\"0.6\">";
  for (const auto& [x, y] : points)
    svg += "<circle cx=\"" + coordinate(px(x)) + "\" cy=\"" + coordinate(py(y)) + "\" r=\"3\"/>";
  return svg + "</g>\n</svg>\n";
}

// Sections

constexpr const char* kStyle = R"(
body { font-family: "DejaVu Sans", "Liberation Sans", system-ui, sans-serif; color: #222;
       margin: 0; background: #fafafa; }
main { max-width: 1180px; margin: 0 auto; padding: 16px 20px 32px; }
h1 { font-size: 24px; margin: 8px 0 12px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
table { border-collapse: collapse; font-size: 13px; background: #fff; }
th, td { border: 1px solid #ddd; padding: 3px 8px; }
td { text-align: right; font-variant-numeric: tabular-nums; }
table.summary th { text-align: left; background: #f2f2f2; }
table.summary td { text-align: left; }
pre.command { background: #fff; border: 1px solid #ddd; padding: 8px; white-space: pre-wrap;
              word-break: break-all; font-size: 12px; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
svg.chart { background: #fff; border: 1px solid #ddd; max-width: 100%; height: auto;
            font-family: inherit; }
.note { color: #555; font-size: 13px; margin: 4px 0 8px; }
.scroll { overflow: auto; max-width: 100%; max-height: 85vh; }
table.confusion th { background: #f2f2f2; font-weight: normal; white-space: nowrap; }
table.confusion tr:first-child th { position: sticky; top: 0; z-index: 1; }
table.confusion th:first-child { position: sticky; left: 0; z-index: 1; text-align: left; }
table.confusion tr:first-child th:first-child { z-index: 2; }
table.confusion td { min-width: 2.2em; text-align: center; }
table.confusion td.dark { color: #fff; }
table.confusion td.zero { color: #bbb; }
table.confusion td.support { color: #555; background: #f7f7f7; }
table.confusion.compact { font-size: 9px; }
table.confusion.compact th, table.confusion.compact td { padding: 1px 2px; min-width: 1.6em; }
table.metrics th { background: #f2f2f2; font-weight: normal; text-align: left; }
.grid { display: flex; flex-wrap: wrap; gap: 8px; }
figure.sample { margin: 0; width: 96px; text-align: center; font-size: 11px; }
figure.sample img { image-rendering: pixelated; border: 2px solid #ccc; display: block;
                    margin: 0 auto; background: #000; }
figure.sample figcaption span { display: block; overflow: hidden; text-overflow: ellipsis;
                                white-space: nowrap; }
figure.sample.wrong img { border-color: #d62728; }
figure.filter { margin: 0; text-align: center; font-size: 11px; }
figure.filter img { image-rendering: pixelated; border: 1px solid #ccc; display: block; }
figure.sample.wrong .prediction { color: #d62728; font-weight: bold; }
footer { margin-top: 32px; color: #888; font-size: 12px; }
)";

std::string summary_section(const ReportData& data) {
  if (data.summary.empty() && data.command_line.empty()) return "";
  std::string html = "<section id=\"summary\">\n";
  if (!data.summary.empty()) {
    html += "<table class=\"summary\">\n";
    for (const auto& [key, value] : data.summary)
      html += "<tr><th>" + escaped(key) + "</th><td>" + escaped(value) + "</td></tr>\n";
    html += "</table>\n";
  }
  if (!data.command_line.empty())
    html += "<pre class=\"command\">$ " + escaped(data.command_line) + "</pre>\n";
  return html + "</section>\n";
}

/// The charts and, folded away, a table of every epoch's values.
std::string training_section(const std::vector<EpochMetrics>& epochs) {
  std::string html = "<section id=\"training\">\n<h2>Training</h2>\n";
  if (epochs.empty()) return html + "<p class=\"note\">No epochs were run.</p>\n</section>\n";
  html += "<div class=\"charts\">\n";
  html += training_chart(epochs, "loss-chart", "Loss", "loss", &EpochMetrics::loss,
                         &EpochMetrics::val_loss);
  html += training_chart(epochs, "accuracy-chart", "Accuracy", "accuracy", &EpochMetrics::accuracy,
                         &EpochMetrics::val_accuracy);
  html += training_chart(epochs, "mae-chart", "Mean absolute error", "MAE", &EpochMetrics::mae,
                         &EpochMetrics::val_mae);
  html += training_chart(epochs, "r2-chart", "R²", "R²", &EpochMetrics::r2, &EpochMetrics::val_r2);
  html += "</div>\n";

  struct Column {
    const char* name;
    double EpochMetrics::*field;
    std::function<std::string(double)> format;
  };
  auto digits = [](int n) { return [n](double v) { return fixed(v, n); }; };
  const std::vector<Column> all = {
      {"loss", &EpochMetrics::loss, digits(4)},
      {"accuracy", &EpochMetrics::accuracy, digits(4)},
      {"val loss", &EpochMetrics::val_loss, digits(4)},
      {"val accuracy", &EpochMetrics::val_accuracy, digits(4)},
      {"mae", &EpochMetrics::mae, [](double v) { return significant(v, 6); }},
      {"r2", &EpochMetrics::r2, digits(4)},
      {"val mae", &EpochMetrics::val_mae, [](double v) { return significant(v, 6); }},
      {"val r2", &EpochMetrics::val_r2, digits(4)},
      {"seconds", &EpochMetrics::seconds, digits(2)},
      {"samples/s", &EpochMetrics::samples_per_second, digits(0)},
      {"learning rate", &EpochMetrics::learning_rate, [](double v) { return significant(v, 4); }},
  };
  std::vector<Column> columns;  // those with at least one value
  for (const Column& column : all) {
    if (std::any_of(epochs.begin(), epochs.end(),
                    [&](const EpochMetrics& e) { return !std::isnan(e.*column.field); }))
      columns.push_back(column);
  }
  html +=
      "<details><summary>Values per epoch</summary>\n<table class=\"metrics\" "
      "id=\"epochs\">\n<tr><th>epoch</th>";
  for (const Column& column : columns)
    html += std::string("<th>") + column.name + "</th>";
  html += "</tr>\n";
  for (const EpochMetrics& epoch : epochs) {
    html += "<tr><td>" + std::to_string(epoch.epoch) + "</td>";
    for (const Column& column : columns)
      html += "<td>" + column.format(epoch.*column.field) + "</td>";
    html += "</tr>\n";
  }
  return html + "</table>\n</details>\n</section>\n";
}

/// The matrix, each cell shaded by its share of the row (blue on the diagonal, red off it),
/// then precision, recall, F1 and support per class. Past 20 classes the columns are headed by
/// class number, zeros are left blank and the cells shrink; a matrix wider or taller than the
/// window scrolls in its own box, its header row and column held in view.
std::string confusion_section(const ReportData& data) {
  const ConfusionMatrix& confusion = *data.confusion;
  const Index classes = confusion.classes();
  const bool compact = classes > 20;
  std::vector<std::int64_t> support(classes, 0);
  for (Index t = 0; t < classes; ++t) {
    for (Index p = 0; p < classes; ++p)
      support[t] += confusion.count(t, p);
  }

  std::string html = "<section id=\"confusion-section\">\n<h2>Confusion matrix</h2>\n";
  html +=
      "<p class=\"note\">Rows: true class; columns: predicted class; shading: share of the "
      "row. " +
      std::to_string(confusion.total()) + " samples, accuracy " + fixed(confusion.accuracy(), 4) +
      ".</p>\n";
  html += std::string("<div class=\"scroll\"><table class=\"confusion") +
          (compact ? " compact" : "") + "\" id=\"confusion\">\n<tr><th>true \\ predicted</th>";
  for (Index p = 0; p < classes; ++p) {
    html += "<th title=\"" + escaped(class_name(data, p)) + "\">" +
            (compact ? std::to_string(p) : escaped(class_name(data, p))) + "</th>";
  }
  html += "<th>support</th></tr>\n";
  for (Index t = 0; t < classes; ++t) {
    const std::string truth = escaped(class_name(data, t));
    html += "<tr><th>" + (compact ? std::to_string(t) + " " : "") + truth + "</th>";
    for (Index p = 0; p < classes; ++p) {
      const std::int64_t count = confusion.count(t, p);
      if (count == 0) {
        html += compact ? "<td></td>" : "<td class=\"zero\">0</td>";
        continue;
      }
      const double share = double(count) / double(support[t]);
      const double alpha = std::max(0.08, share);
      html += std::string("<td") + (alpha > 0.55 ? " class=\"dark\"" : "") +
              " style=\"background:rgba(" + (t == p ? "31,119,180," : "214,39,40,") +
              fixed(alpha, 3) + ")\" title=\"true " + truth + ", predicted " +
              escaped(class_name(data, p)) + ": " + std::to_string(count) + " (" +
              fixed(100 * share, 1) + "% of the row)\">" + std::to_string(count) + "</td>";
    }
    html += "<td class=\"support\">" + std::to_string(support[t]) + "</td></tr>\n";
  }
  html += "</table></div>\n";

  html +=
      "<h3>Per class</h3>\n<table class=\"metrics\" id=\"per-class\">\n<tr><th>#</th>"
      "<th>class</th><th>precision</th><th>recall</th><th>F1</th><th>support</th></tr>\n";
  double precision = 0, recall = 0, f1 = 0;
  for (Index c = 0; c < classes; ++c) {
    precision += confusion.precision(c);
    recall += confusion.recall(c);
    f1 += confusion.f1(c);
    html += "<tr><td>" + std::to_string(c) + "</td><th>" + escaped(class_name(data, c)) +
            "</th><td>" + fixed(confusion.precision(c), 4) + "</td><td>" +
            fixed(confusion.recall(c), 4) + "</td><td>" + fixed(confusion.f1(c), 4) + "</td><td>" +
            std::to_string(support[c]) + "</td></tr>\n";
  }
  html += "<tr><td></td><th>macro average</th><td>" + fixed(precision / double(classes), 4) +
          "</td><td>" + fixed(recall / double(classes), 4) + "</td><td>" +
          fixed(f1 / double(classes), 4) + "</td><td>" + std::to_string(confusion.total()) +
          "</td></tr>\n</table>\n</section>\n";
  return html;
}

/// A regression model's metrics on its test (or validation) rows and its scatter plot.
std::string regression_section(const ReportData& data) {
  std::string html = "<section id=\"regression\">\n<h2>Predictions</h2>\n";
  if (const auto& metrics = data.regression) {
    const std::string rows = escaped(data.regression_rows);
    html += "<table class=\"metrics\" id=\"regression-metrics\">\n<tr><th>" + rows +
            " rows</th><td>" + std::to_string(metrics->rows()) + "</td></tr>\n<tr><th>" + rows +
            " MSE</th><td>" + significant(metrics->mse(), 6) + "</td></tr>\n<tr><th>" + rows +
            " MAE</th><td>" + significant(metrics->mae(), 6) + "</td></tr>\n<tr><th>" + rows +
            " R²</th><td>" + fixed(metrics->r2(), 4) + "</td></tr>\n</table>\n";
  }
  if (data.scatter) {
    html +=
        "<p class=\"note\">Each circle is a row; on the dashed line the prediction is exact.</p>\n";
    html += "<div class=\"charts\">\n" + scatter_chart(*data.scatter) + "</div>\n";
  }
  return html + "</section>\n";
}

/// A figure of one image as an inline PNG, drawn at a whole-number scale near `size` pixels.
std::string png_image(const ReportImage& image, Index size, const std::string& alt) {
  const Index scale = std::max<Index>(1, size / std::max(image.width, image.height));
  return "<img src=\"data:image/png;base64," +
         base64(encode_grayscale_png(image.pixels, image.width, image.height)) + "\" width=\"" +
         std::to_string(image.width * scale) + "\" height=\"" +
         std::to_string(image.height * scale) + "\" alt=\"" + alt + "\">";
}

/// The images as inline PNGs, drawn at a whole-number scale near 84 pixels, labels beneath.
std::string images_section(const std::vector<ReportImage>& images) {
  const auto wrong = std::count_if(images.begin(), images.end(), [](const ReportImage& image) {
    return image.true_label != image.predicted_label;
  });
  std::string html = "<section id=\"images\">\n<h2>Test images</h2>\n<p class=\"note\">" +
                     std::to_string(images.size()) +
                     " images; under each, its true label and then the prediction. " +
                     std::to_string(wrong) +
                     " predicted wrongly, in red.</p>\n<div class=\"grid\">\n";
  for (const ReportImage& image : images) {
    const std::string truth = escaped(image.true_label),
                      prediction = escaped(image.predicted_label);
    const bool right = image.true_label == image.predicted_label;
    html += std::string("<figure class=\"sample") + (right ? "" : " wrong") + "\">" +
            png_image(image, 84, "true " + truth + ", predicted " + prediction) +
            "<figcaption><span class=\"truth\" title=\"" + truth + "\">" + truth +
            "</span><span class=\"prediction\" title=\"" + prediction + "\">" +
            (right ? "" : "→ ") + prediction + "</span></figcaption></figure>\n";
  }
  return html + "</div>\n</section>\n";
}

/// The first convolution's filters, each a small image captioned with its number.
std::string filters_section(const ReportData& data) {
  std::string html =
      "<section id=\"filters\">\n<h2>First convolution's filters</h2>\n"
      "<p class=\"note\">" +
      escaped(data.filters_layer) +
      ": its weights after training, on one scale: mid-grey is 0, white the "
      "largest positive weight, black the most negative.</p>\n<div class=\"grid\">\n";
  for (const ReportImage& filter : data.filters) {
    const std::string caption = escaped(filter.true_label);
    html += "<figure class=\"filter\">" + png_image(filter, 60, "filter " + caption) +
            "<figcaption>" + caption + "</figcaption></figure>\n";
  }
  return html + "</div>\n</section>\n";
}

}  // namespace

std::vector<std::uint8_t> encode_grayscale_png(std::span<const std::uint8_t> pixels, Index width,
                                               Index height) {
  constexpr Index kLargest = std::numeric_limits<std::int32_t>::max();  // PNG's limit
  if (width < 1 || height < 1 || width > kLargest || height > kLargest ||
      pixels.size() != std::size_t(width) * std::size_t(height)) {
    throw std::invalid_argument("PNG image: " + std::to_string(pixels.size()) + " pixels for " +
                                std::to_string(width) + " × " + std::to_string(height));
  }
  // Each row is its filter-type byte (0: the bytes as they are) and then its pixels.
  std::vector<std::uint8_t> raw;
  raw.reserve(std::size_t(height) * std::size_t(width + 1));
  for (Index row = 0; row < height; ++row) {
    raw.push_back(0);
    raw.insert(raw.end(), pixels.begin() + row * width, pixels.begin() + (row + 1) * width);
  }
  uLongf compressed_size = ::compressBound(uLong(raw.size()));
  std::vector<std::uint8_t> compressed(compressed_size);
  if (::compress2(compressed.data(), &compressed_size, raw.data(), uLong(raw.size()),
                  Z_BEST_COMPRESSION) != Z_OK) {
    throw std::runtime_error("PNG image: zlib could not compress the pixels");
  }
  compressed.resize(compressed_size);

  std::vector<std::uint8_t> png = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
  std::vector<std::uint8_t> header;
  put_u32(header, std::uint32_t(width));
  put_u32(header, std::uint32_t(height));
  header.insert(header.end(), {/*bit depth=*/8, /*grayscale=*/0, /*deflate=*/0,
                               /*adaptive filters=*/0, /*no interlace=*/0});
  put_chunk(png, "IHDR", header);
  put_chunk(png, "IDAT", compressed);
  put_chunk(png, "IEND", {});
  return png;
}

std::string render_html_report(const ReportData& data) {
  for (const auto* images : {&data.images, &data.filters}) {
    for (std::size_t i = 0; i < images->size(); ++i) {
      const ReportImage& image = (*images)[i];
      if (image.width < 1 || image.height < 1 ||
          image.pixels.size() != std::size_t(image.width) * std::size_t(image.height)) {
        throw std::invalid_argument(
            std::string(images == &data.images ? "report image " : "report filter ") +
            std::to_string(i) + ": " + std::to_string(image.pixels.size()) + " pixels for " +
            std::to_string(image.width) + " × " + std::to_string(image.height));
      }
    }
  }
  const std::string title = escaped(data.title.empty() ? "scratchnet training report" : data.title);
  std::string html =
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      // Nothing may be fetched: styles are inline and images are data: URLs.
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
      "img-src data:; style-src 'unsafe-inline'\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
      title + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n<main>\n<h1>" + title +
      "</h1>\n";
  html += summary_section(data);
  html += training_section(data.epochs);
  if (data.confusion) html += confusion_section(data);
  if (data.regression || data.scatter) html += regression_section(data);
  if (!data.images.empty()) html += images_section(data.images);
  if (!data.filters.empty()) html += filters_section(data);
  html +=
      "<footer>Written by scratchnet. This page is self-contained: it loads nothing and runs "
      "no scripts.</footer>\n</main>\n</body>\n</html>\n";
  return html;
}

}  // namespace scratchnet::report
