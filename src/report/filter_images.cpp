#include "scratchnet/report/filter_images.hpp"

#include <algorithm>
#include <cmath>

namespace scratchnet::report {

template <typename T>
std::vector<ReportImage> first_conv_filters(const Sequential<T>& model, std::string& layer,
                                            Index most_filters, Index most_channels) {
  std::vector<ReportImage> images;
  model.for_each_layer([&](std::size_t index, const Layer<T>& conv, const LayerSlices& slices) {
    if (!images.empty() || conv.name() != "Conv2d") return;
    layer = std::to_string(index) + ": " + conv.describe().text();
    // weight [filters, channels, kernel height, kernel width], the layer's first tensor
    const std::vector<Index> shape = conv.parameter_shapes().front().shape;
    const Index filters = shape[0], channels = shape[1], height = shape[2], width = shape[3];
    const auto parameters = model.parameters();  // a view: its segments must not outlive it
    const auto weight =
        parameters.segment(slices.parameter_offset, filters * channels * height * width);
    const double largest = weight.size() > 0 ? double(weight.cwiseAbs().maxCoeff()) : 0;
    const double scale = largest > 0 ? 127.5 / largest : 0;
    for (Index filter = 0; filter < std::min(filters, most_filters); ++filter) {
      for (Index channel = 0; channel < std::min(channels, most_channels); ++channel) {
        ReportImage image;
        image.width = width;
        image.height = height;
        const auto taps =
            weight.segment((filter * channels + channel) * height * width, height * width);
        for (const T tap : taps) {
          const double level = std::round(127.5 + scale * double(tap));
          image.pixels.push_back(std::uint8_t(std::clamp(level, 0.0, 255.0)));
        }
        image.true_label =
            std::to_string(filter) + (channels > 1 ? " · channel " + std::to_string(channel) : "");
        images.push_back(std::move(image));
      }
    }
  });
  return images;
}

template std::vector<ReportImage> first_conv_filters(const Sequential<float>&, std::string&, Index,
                                                     Index);
template std::vector<ReportImage> first_conv_filters(const Sequential<double>&, std::string&, Index,
                                                     Index);

}  // namespace scratchnet::report
