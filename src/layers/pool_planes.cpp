#include "pool_planes.hpp"

#include <limits>
#include <stdexcept>

namespace scratchnet::pooling {
namespace {

void check_image(std::string_view kind, const Shape& input) {
  if (input.rank() != 3) {
    throw std::invalid_argument(std::string(kind) +
                                " takes images [channels, height, width], got samples of " +
                                "shape " + input.text());
  }
  // MaxPool2d keeps where each maximum came from as a 32-bit position in its plane.
  if (input[1] * input[2] > std::numeric_limits<std::int32_t>::max()) {
    throw std::invalid_argument(std::string(kind) + " takes planes of at most 2^31 values, got " +
                                input.text());
  }
}

}  // namespace

void check_window(std::string_view kind, const Window& window) {
  if (window.kernel < 1) {
    throw std::invalid_argument(std::string(kind) + " kernel_size must be at least 1, got " +
                                std::to_string(window.kernel));
  }
  if (window.stride < 1) {
    throw std::invalid_argument(std::string(kind) + " stride must be at least 1, got " +
                                std::to_string(window.stride));
  }
  if (window.padding < 0) {
    throw std::invalid_argument(std::string(kind) + " padding must not be negative, got " +
                                std::to_string(window.padding));
  }
  if (window.dilation != 1) {
    throw std::invalid_argument(std::string(kind) + " takes dilation 1 only, got " +
                                std::to_string(window.dilation));
  }
  if (window.padding > window.kernel / 2) {
    throw std::invalid_argument(
        std::string(kind) + " padding must be at most half of kernel_size, got " + "padding " +
        std::to_string(window.padding) + " for kernel_size " + std::to_string(window.kernel));
  }
}

Planes window_planes(std::string_view kind, const Window& window, const Shape& input) {
  check_image(kind, input);
  Planes planes{input[0], input[1], input[2], window_output_size(input[1], window),
                window_output_size(input[2], window)};
  if (planes.out_height < 1 || planes.out_width < 1) {
    throw std::invalid_argument(std::string(kind) + " kernel_size " +
                                std::to_string(window.kernel) + " is larger than the " +
                                std::to_string(planes.height) + "x" + std::to_string(planes.width) +
                                " input padded by " + std::to_string(window.padding) +
                                " (sample shape " + input.text() + ")");
  }
  return planes;
}

Planes whole_planes(std::string_view kind, const Shape& input) {
  check_image(kind, input);
  return {input[0], input[1], input[2], 1, 1};
}

const Shape& given_shape(std::string_view kind, const std::optional<Shape>& shape, Index columns) {
  if (!shape) {
    throw std::invalid_argument(std::string(kind) +
                                " must be given its sample shape (output_shape) before forward");
  }
  if (columns != shape->elements()) {
    throw std::invalid_argument(std::string(kind) + " was shaped for samples " + shape->text() +
                                " of " + std::to_string(shape->elements()) +
                                " values, got rows of " + std::to_string(columns));
  }
  return *shape;
}

}  // namespace scratchnet::pooling
