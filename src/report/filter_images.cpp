#include "scratchnet/report/filter_images.hpp"

#include <algorithm>
#include <cmath>

namespace scratchnet::report {

template <typename T>
std::vector<ReportImage> first_conv_filters(const Sequential<T>& model, std::string& layer,
                                            Index most_filters, Index most_channels) {
  std::vector<ReportImage> images;
  for (const NamedParameter& parameter : model.named_parameters()) {
    const std::size_t dot = parameter.name.find('.');
    const std::size_t index = std::stoul(parameter.name.substr(0, dot));
    if (model.layer(index).name() != "Conv2d" || parameter.name.substr(dot + 1) != "weight")
      continue;
    layer = std::to_string(index) + ": " + model.layer(index).describe().text();
    // weight [filters, channels, kernel height, kernel width]
    const Index filters = parameter.shape[0], channels = parameter.shape[1];
    const Index height = parameter.shape[2], width = parameter.shape[3];
    const T* weight = model.parameters().data() + parameter.offset;
    const Index count = filters * channels * height * width;
    double largest = 0;
    for (Index i = 0; i < count; ++i)
      largest = std::max(largest, std::abs(double(weight[i])));
    const double scale = largest > 0 ? 127.5 / largest : 0;
    for (Index filter = 0; filter < std::min(filters, most_filters); ++filter) {
      for (Index channel = 0; channel < std::min(channels, most_channels); ++channel) {
        ReportImage image;
        image.width = width;
        image.height = height;
        const T* tap = weight + (filter * channels + channel) * height * width;
        for (Index i = 0; i < height * width; ++i) {
          const double level = std::round(127.5 + scale * double(tap[i]));
          image.pixels.push_back(std::uint8_t(std::clamp(level, 0.0, 255.0)));
        }
        image.true_label =
            std::to_string(filter) + (channels > 1 ? " · channel " + std::to_string(channel) : "");
        images.push_back(std::move(image));
      }
    }
    return images;
  }
  return images;
}

template std::vector<ReportImage> first_conv_filters(const Sequential<float>&, std::string&, Index,
                                                     Index);
template std::vector<ReportImage> first_conv_filters(const Sequential<double>&, std::string&, Index,
                                                     Index);

}  // namespace scratchnet::report
