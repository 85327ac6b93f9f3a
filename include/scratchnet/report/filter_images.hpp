#pragma once
// What a convolution has learned to look for, as pictures: each filter of the network's first
// Conv2d drawn as a small grayscale image for the training report, one per filter and input
// channel. All share one scale, so a strong filter looks stronger than a weak one: 0 is mid-grey,
// the largest |weight| of the layer black (negative) or white (positive).

#include <string>
#include <vector>

#include "scratchnet/model/sequential.hpp"
#include "scratchnet/report/html_report.hpp"

namespace scratchnet::report {

/// The filters of the first Conv2d of `model` (its first `most_filters` filters, each one's
/// first `most_channels` input channels), each a kernel-sized image captioned with its filter
/// number ("3", or "3 · channel 1" when the layer takes several channels); `layer` becomes the
/// layer's name and description ("0: Conv2d(in_channels=1, …)"). Empty when the model has no
/// Conv2d.
template <typename T>
std::vector<ReportImage> first_conv_filters(const Sequential<T>& model, std::string& layer,
                                            Index most_filters = 64, Index most_channels = 4);

}  // namespace scratchnet::report
