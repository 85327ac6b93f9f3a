#pragma once
// The rows of the layer table for the layers that see images (layer_kinds.hpp): their spec
// entries, as torch.nn.Sequential entries,
//   conv:OUT:K[:stride=S][:padding=P][:dilation=D][:groups=G][:nobias][:ACTIVATION]   Conv2d
//   maxpool:K[:stride=S][:padding=P]                                                MaxPool2d
//   avgpool:K[:stride=S][:padding=P]                                                AvgPool2d
//   batchnorm                                             BatchNorm1d or BatchNorm2d by the input
// A pool's stride is its kernel unless given, as in torch. (flatten and globalavgpool take no
// arguments and are rows of the plain kind, in layer_kinds.cpp.)

#include "scratchnet/model/layer_kinds.hpp"

namespace scratchnet {

LayerKind conv2d_kind();
LayerKind max_pool_kind();
LayerKind avg_pool_kind();
LayerKind batch_norm_kind();

}  // namespace scratchnet
