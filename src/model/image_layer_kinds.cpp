#include "image_layer_kinds.hpp"

#include "scratchnet/layers/avg_pool2d.hpp"
#include "scratchnet/layers/batch_norm.hpp"
#include "scratchnet/layers/conv2d.hpp"
#include "scratchnet/layers/max_pool2d.hpp"
#include "spec_arguments.hpp"

namespace scratchnet {
namespace {

using spec::refuse;

constexpr Index kMaxChannels = 100'000'000;
// A bound on kernel, stride, padding and dilation that keeps their window arithmetic far from
// overflow; no image this library can hold is wider.
constexpr Index kMaxWindow = 1'000'000;

const char* const kConvUsage =
    "conv:OUT:K[:stride=S][:padding=P][:dilation=D][:groups=G][:nobias][:ACTIVATION]";

// An image layer's input must be an image: a tabular input gets the flag that gives it a shape.
void require_image(const Shape& input, const std::string& entry) {
  if (input.rank() != 3) {
    refuse(entry + " takes images [C, H, W], and its input has shape " + input.text() +
           " (a CSV of images needs --input-shape C,H,W)");
  }
}

// Each row's factory, for float and double from one generic lambda.
template <typename Make>
void set_factories(LayerKind& row, Make make) {
  row.make_float = [make](const LayerDescription& d, const Shape& input) {
    return std::unique_ptr<Layer<float>>(make.template operator()<float>(d, input));
  };
  row.make_double = [make](const LayerDescription& d, const Shape& input) {
    return std::unique_ptr<Layer<double>>(make.template operator()<double>(d, input));
  };
}

Window window_of(const LayerDescription& layer) {
  const auto dilation = layer.find("dilation");
  return {Index(layer.get<std::int64_t>("kernel_size")), Index(layer.get<std::int64_t>("stride")),
          Index(layer.get<std::int64_t>("padding")),
          dilation ? Index(std::get<std::int64_t>(*dilation)) : 1};
}

// ":stride=2" when `value` is not the default `usual`.
std::string option_text(const char* name, std::int64_t value, std::int64_t usual) {
  return value == usual ? std::string() : std::string(":") + name + "=" + std::to_string(value);
}

// MaxPool2d and AvgPool2d: "TOKEN:K[:stride=S][:padding=P]", stride K unless given, as in torch.
LayerKind pool_kind(std::string kind, std::string token) {
  LayerKind row;
  row.kind = kind;
  row.token = token;
  row.needs_images = true;
  const std::string usage = token + ":K[:stride=S][:padding=P]";
  row.parse = [kind, usage](std::string_view arguments) {
    const auto parts = spec::pieces(arguments, usage);
    const Index kernel = spec::whole_number(parts[0], 1, kMaxWindow, "the pool's kernel size K");
    spec::Options options({parts.begin() + 1, parts.end()}, usage);
    const Index stride = options.value("stride", 1, kMaxWindow, kernel);
    const Index padding = options.value("padding", 0, kMaxWindow, 0);
    options.finish();
    if (2 * padding > kernel) {
      refuse("padding " + std::to_string(padding) + " is more than half the kernel size " +
             std::to_string(kernel) + " (as torch requires)");
    }
    return LayerDescription{kind,
                            {{"kernel_size", std::int64_t{kernel}},
                             {"stride", std::int64_t{stride}},
                             {"padding", std::int64_t{padding}}}};
  };
  row.format = [](const LayerDescription& pool) {
    const std::int64_t kernel = pool.get<std::int64_t>("kernel_size");
    std::string text = ":";  // appended to: GCC 12 warns (-Wrestrict) on ":" + std::string&&
    return text.append(std::to_string(kernel))
        .append(option_text("stride", pool.get<std::int64_t>("stride"), kernel))
        .append(option_text("padding", pool.get<std::int64_t>("padding"), 0));
  };
  set_factories(row, [token]<typename T>(const LayerDescription& pool, const Shape& input) {
    require_image(input, token);
    std::unique_ptr<Layer<T>> layer;
    if (pool.kind == "MaxPool2d") {
      layer = std::make_unique<MaxPool2d<T>>(window_of(pool));
    } else {
      layer = std::make_unique<AvgPool2d<T>>(window_of(pool));
    }
    return layer;
  });
  return row;
}

}  // namespace

LayerKind conv2d_kind() {
  LayerKind row;
  row.kind = "Conv2d";
  row.token = "conv";
  row.takes_activation = true;
  row.needs_images = true;
  row.parse = [](std::string_view arguments) {
    const auto parts = spec::pieces(arguments, kConvUsage);
    if (parts.size() < 2)
      refuse(std::string("conv needs its output channels and kernel size, ") + kConvUsage);
    const Index out = spec::whole_number(parts[0], 1, kMaxChannels, "conv's output channels OUT");
    const Index kernel = spec::whole_number(parts[1], 1, kMaxWindow, "conv's kernel size K");
    spec::Options options({parts.begin() + 2, parts.end()}, kConvUsage);
    const Index stride = options.value("stride", 1, kMaxWindow, 1);
    const Index padding = options.value("padding", 0, kMaxWindow, 0);
    const Index dilation = options.value("dilation", 1, kMaxWindow, 1);
    const Index groups = options.value("groups", 1, kMaxChannels, 1);
    const bool bias = !options.has("nobias");
    options.finish();
    if (out % groups != 0) {
      refuse("its " + std::to_string(out) + " output channels do not divide into " +
             std::to_string(groups) + " groups");
    }
    return LayerDescription{"Conv2d",
                            {{"out_channels", std::int64_t{out}},
                             {"kernel_size", std::int64_t{kernel}},
                             {"stride", std::int64_t{stride}},
                             {"padding", std::int64_t{padding}},
                             {"dilation", std::int64_t{dilation}},
                             {"groups", std::int64_t{groups}},
                             {"bias", bias}}};
  };
  row.format = [](const LayerDescription& conv) {
    std::string text = ":";  // appended to: GCC 12 warns (-Wrestrict) on ":" + std::string&&
    return text.append(std::to_string(conv.get<std::int64_t>("out_channels")))
        .append(":")
        .append(std::to_string(conv.get<std::int64_t>("kernel_size")))
        .append(option_text("stride", conv.get<std::int64_t>("stride"), 1))
        .append(option_text("padding", conv.get<std::int64_t>("padding"), 0))
        .append(option_text("dilation", conv.get<std::int64_t>("dilation"), 1))
        .append(option_text("groups", conv.get<std::int64_t>("groups"), 1))
        .append(conv.get<bool>("bias") ? "" : ":nobias");
  };
  // in_channels are the input's channels; Conv2d refuses a count its groups do not divide.
  set_factories(row, []<typename T>(const LayerDescription& conv, const Shape& input) {
    require_image(input, "conv");
    return std::make_unique<Conv2d<T>>(input[0], Index(conv.get<std::int64_t>("out_channels")),
                                       window_of(conv), Index(conv.get<std::int64_t>("groups")),
                                       conv.get<bool>("bias") ? Bias::add : Bias::none);
  });
  return row;
}

LayerKind max_pool_kind() {
  return pool_kind("MaxPool2d", "maxpool");
}

LayerKind avg_pool_kind() {
  return pool_kind("AvgPool2d", "avgpool");
}

LayerKind batch_norm_kind() {
  LayerKind row;
  row.kind = "BatchNorm";
  row.token = "batchnorm";
  row.also_kinds = {"BatchNorm1d", "BatchNorm2d"};
  row.parse = [](std::string_view arguments) {
    if (!arguments.empty()) refuse("batchnorm takes no arguments");
    return LayerDescription{"BatchNorm", {}};
  };
  row.format = [](const LayerDescription&) { return std::string(); };
  // BatchNorm1d for samples [F] or [C, L], BatchNorm2d for images [C, H, W]: channels first.
  set_factories(row, []<typename T>(const LayerDescription&, const Shape& input) {
    return std::make_unique<BatchNorm<T>>(input[0], input.rank());
  });
  return row;
}

}  // namespace scratchnet
