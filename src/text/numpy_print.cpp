#include "scratchnet/text/numpy_print.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>
#include <vector>

namespace scratchnet {
namespace {

constexpr int kPrecision = 8;  // numpy's default print precision

// A finite value's digits as numpy's Dragon4 would give them in "unique" mode: the shortest
// digits that read back to the same double, cut (and correctly rounded) at kPrecision digits
// after the point, trailing zeros trimmed.
struct Digits {
  std::string integer;   // "0", "-1"
  std::string fraction;  // "03861796", may be empty
  std::string exponent;  // scientific only: "-05", "+00"
};

std::string chars(double value, std::chars_format format, std::optional<int> precision) {
  char buffer[512];  // enough for any double in fixed notation
  auto result = precision ? std::to_chars(buffer, std::end(buffer), value, format, *precision)
                          : std::to_chars(buffer, std::end(buffer), value, format);
  return std::string(buffer, result.ptr);
}

Digits split(const std::string& text) {
  Digits digits;
  const std::size_t e = text.find('e');
  const std::string mantissa = text.substr(0, e);
  if (e != std::string::npos) digits.exponent = text.substr(e + 1);
  const std::size_t dot = mantissa.find('.');
  digits.integer = mantissa.substr(0, dot);
  if (dot != std::string::npos) digits.fraction = mantissa.substr(dot + 1);
  return digits;
}

Digits unique_digits(double value, std::chars_format format) {
  Digits digits = split(chars(value, format, std::nullopt));
  if (digits.fraction.size() > std::size_t(kPrecision)) {
    digits = split(chars(value, format, kPrecision));
    digits.fraction.erase(digits.fraction.find_last_not_of('0') + 1);
  }
  return digits;
}

// numpy switches the whole array to scientific notation on these conditions.
bool needs_scientific(const std::vector<double>& finite) {
  double largest = 0, smallest = INFINITY;
  for (double value : finite) {
    if (value == 0) continue;
    largest = std::max(largest, std::abs(value));
    smallest = std::min(smallest, std::abs(value));
  }
  if (largest == 0) return false;
  return largest >= 1e8 || smallest < 1e-4 || largest / smallest > 1000;
}

std::string pad_left(const std::string& text, std::size_t width, char fill = ' ') {
  return text.size() >= width ? text : std::string(width - text.size(), fill) + text;
}

std::string pad_right(const std::string& text, std::size_t width, char fill = ' ') {
  return text.size() >= width ? text : text + std::string(width - text.size(), fill);
}

// Formats every element with one common layout, as numpy's FloatingFormat does.
class FloatFormat {
 public:
  explicit FloatFormat(const Matrix<double>& values) {
    std::vector<double> finite;
    bool negative_infinity = false;
    for (double value : values.reshaped()) {
      if (std::isfinite(value)) finite.push_back(value);
      if (std::isinf(value) && value < 0) negative_infinity = true;
    }
    scientific_ = needs_scientific(finite);
    for (double value : finite) {
      const Digits digits = unique_digits(value, format());
      integer_width_ = std::max(integer_width_, digits.integer.size());
      fraction_width_ = std::max(fraction_width_, digits.fraction.size());
      if (scientific_) exponent_width_ = std::max(exponent_width_, digits.exponent.size() - 1);
    }
    // A column of nan or inf is as wide as its finite neighbours, or as the word itself.
    const std::size_t tail = fraction_width_ + 1 + (scientific_ ? exponent_width_ + 2 : 0);
    if (finite.size() != std::size_t(values.size())) {
      const std::size_t word = negative_infinity ? 4 : 3;
      integer_width_ = std::max(integer_width_, word > tail ? word - tail : 0);
    }
  }

  std::string operator()(double value) const {
    const std::size_t width =
        integer_width_ + 1 + fraction_width_ + (scientific_ ? exponent_width_ + 2 : 0);
    if (std::isnan(value)) return pad_left("nan", width);
    if (std::isinf(value)) return pad_left(value < 0 ? "-inf" : "inf", width);

    const Digits digits = unique_digits(value, format());
    std::string text = pad_left(digits.integer, integer_width_) + ".";
    if (!scientific_) return text + pad_right(digits.fraction, fraction_width_);
    // Scientific: every mantissa shows the same number of digits, zero-filled, and every
    // exponent the same number of digits after its sign.
    text += pad_right(digits.fraction, fraction_width_, '0');
    return text + "e" + digits.exponent[0] +
           pad_left(digits.exponent.substr(1), exponent_width_, '0');
  }

 private:
  std::chars_format format() const {
    return scientific_ ? std::chars_format::scientific : std::chars_format::fixed;
  }

  bool scientific_ = false;
  std::size_t integer_width_ = 0;
  std::size_t fraction_width_ = 0;
  std::size_t exponent_width_ = 0;
};

}  // namespace

std::string numpy_str(const Matrix<double>& values) {
  const FloatFormat format(values);
  std::string text = "[";
  for (Index row = 0; row < values.rows(); ++row) {
    if (row > 0) text += "\n ";
    text += "[";
    for (Index col = 0; col < values.cols(); ++col) {
      if (col > 0) text += " ";
      text += format(values(row, col));
    }
    text += "]";
  }
  return text + "]";
}

}  // namespace scratchnet
