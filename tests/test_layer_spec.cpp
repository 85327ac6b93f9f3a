// Layer spec strings: parsing, PyTorch's parameter numbering, round trips and clear errors.
#include <gtest/gtest.h>

#include "scratchnet/layers/dense.hpp"
#include "scratchnet/layers/dropout.hpp"
#include "scratchnet/layers/gelu.hpp"
#include "scratchnet/layers/leaky_relu.hpp"
#include "scratchnet/layers/relu.hpp"
#include "scratchnet/layers/sigmoid.hpp"
#include "scratchnet/layers/softmax.hpp"
#include "scratchnet/layers/tanh.hpp"
#include "scratchnet/model/layer_kinds.hpp"
#include "scratchnet/model/layer_spec.hpp"

namespace scratchnet {
namespace {

LayerDescription linear(std::int64_t units, bool bias = true) {
  return {"Linear", {{"out_features", units}, {"bias", bias}}};
}

const LayerDescription kReLU{"ReLU", {}};

TEST(LayerSpec, ParsesTheIssueExample) {
  const auto entries = parse_layer_spec("256:relu,128:relu,dropout:0.2,10");
  const std::vector<SpecEntry> expected = {{{linear(256), kReLU}},
                                           {{linear(128), kReLU}},
                                           {{{"Dropout", {{"p", 0.2}}}}},
                                           {{linear(10)}}};
  EXPECT_EQ(entries, expected);
}

TEST(LayerSpec, BuildsTorchSequentialNumbering) {
  auto model = build_model<float>(parse_layer_spec("256:relu,128:relu,dropout:0.2,10"), 784);
  std::vector<std::string> layer_names;
  for (std::size_t i = 0; i < model.size(); ++i)
    layer_names.push_back(model.layer(i).name());
  EXPECT_EQ(layer_names,
            (std::vector<std::string>{"Linear", "ReLU", "Linear", "ReLU", "Dropout", "Linear"}));
  std::vector<std::string> names;
  for (const auto& parameter : model.named_parameters())
    names.push_back(parameter.name);
  EXPECT_EQ(names, (std::vector<std::string>{"0.weight", "0.bias", "2.weight", "2.bias", "5.weight",
                                             "5.bias"}));
  EXPECT_EQ(model.named_parameters()[0].shape, (std::vector<Index>{256, 784}));
  EXPECT_EQ(model.named_parameters()[4].shape, (std::vector<Index>{10, 128}));
  EXPECT_EQ(model.outputs(), 10);
  EXPECT_EQ(model.parameters().size(), 784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10);
}

TEST(LayerSpec, EveryActivationBuildsItsLayer) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"sigmoid", "Sigmoid"},         {"tanh", "Tanh"}, {"relu", "ReLU"},
      {"leaky_relu", "LeakyReLU"},    {"gelu", "GELU"}, {"softmax", "Softmax"},
      {"leaky_relu=0.2", "LeakyReLU"}};
  for (const auto& [activation, layer] : cases) {
    auto model = build_model<double>(parse_layer_spec("3:" + activation), 2);
    ASSERT_EQ(model.size(), 2u) << activation;
    EXPECT_EQ(model.layer(1).name(), layer);
  }
}

TEST(LayerSpec, LeakySlopeIsParsedAndUsed) {
  const auto entries = parse_layer_spec("1:leaky_relu=0.25");
  EXPECT_DOUBLE_EQ(entries[0].layers[1].get<double>("negative_slope"), 0.25);
  EXPECT_DOUBLE_EQ(parse_layer_spec("1:leaky_relu")[0].layers[1].get<double>("negative_slope"),
                   0.01);
  auto model = build_model<double>(entries, 1);
  model.parameters().setConstant(1);  // weight 1, bias 1: y = leaky(x + 1)
  Matrix<double> input(1, 1);
  input << -3;
  EXPECT_DOUBLE_EQ(model.forward(input)(0, 0), -0.5);
}

TEST(LayerSpec, FormatRoundTrips) {
  for (const char* spec :
       {"256:relu,128:relu,dropout:0.2,10", "4:sigmoid,1:sigmoid",
        "8:leaky_relu=0.3,dropout:0,3:softmax", "5:gelu,5:tanh,5:leaky_relu,1"}) {
    EXPECT_EQ(format_layer_spec(parse_layer_spec(spec)), spec);
  }
  EXPECT_EQ(format_layer_spec(parse_layer_spec(" 16 : relu , 3 ")), "16:relu,3");
}

TEST(LayerSpec, ParsesDenseWithoutBiasAndActivationsOnTheirOwn) {
  const auto entries =
      parse_layer_spec("4:nobias:relu, relu,leaky_relu=0.2,3:nobias,dropout:0.1,2");
  const std::vector<SpecEntry> expected = {{{linear(4, false), kReLU}},
                                           {{kReLU}},
                                           {{{"LeakyReLU", {{"negative_slope", 0.2}}}}},
                                           {{linear(3, false)}},
                                           {{{"Dropout", {{"p", 0.1}}}}},
                                           {{linear(2)}}};
  EXPECT_EQ(entries, expected);
  EXPECT_EQ(format_layer_spec(entries), "4:nobias:relu,relu,leaky_relu=0.2,3:nobias,dropout:0.1,2");

  auto model = build_model<double>(entries, 5);
  std::vector<std::string> kinds;
  for (std::size_t i = 0; i < model.size(); ++i)
    kinds.push_back(model.layer(i).name());
  EXPECT_EQ(kinds, (std::vector<std::string>{"Linear", "ReLU", "ReLU", "LeakyReLU", "Linear",
                                             "Dropout", "Linear"}));
  std::vector<std::string> names;
  for (const auto& parameter : model.named_parameters())
    names.push_back(parameter.name);
  EXPECT_EQ(names, (std::vector<std::string>{"0.weight", "4.weight", "6.weight", "6.bias"}));
  EXPECT_EQ(model.parameters().size(), 4 * 5 + 3 * 4 + 2 * 3 + 2);
}

TEST(LayerSpec, EveryLayerDescribesItselfAsTorchConstructsIt) {
  using Attributes = std::vector<LayerAttribute>;
  EXPECT_EQ(Dense<float>(3, 2).describe(),
            (LayerDescription{"Linear", Attributes{{"in_features", std::int64_t{3}},
                                                   {"out_features", std::int64_t{2}},
                                                   {"bias", true}}}));
  EXPECT_EQ(Dense<double>(3, 2, Bias::none).describe().get<bool>("bias"), false);
  EXPECT_EQ(Dropout<float>(0.3).describe(), (LayerDescription{"Dropout", {{"p", 0.3}}}));
  // A float slope describes itself as the decimal it was written as, not 0.20000000298…
  EXPECT_EQ(LeakyReLU<float>(0.2f).describe(),
            (LayerDescription{"LeakyReLU", {{"negative_slope", 0.2}}}));
  EXPECT_EQ(LeakyReLU<double>().describe().get<double>("negative_slope"), 0.01);
  EXPECT_EQ(GELU<float>().describe(),
            (LayerDescription{"GELU", {{"approximate", std::string("none")}}}));
  EXPECT_EQ(Softmax<float>().describe(), (LayerDescription{"Softmax", {{"dim", std::int64_t{1}}}}));
  EXPECT_EQ(ReLU<float>().describe(), (LayerDescription{"ReLU", {}}));
  EXPECT_EQ(Sigmoid<float>().describe(), (LayerDescription{"Sigmoid", {}}));
  EXPECT_EQ(Tanh<float>().describe(), (LayerDescription{"Tanh", {}}));
  EXPECT_EQ(Dense<float>(784, 128).describe().text(),
            "Linear(in_features=784, out_features=128, bias=True)");
  EXPECT_THROW(Tanh<float>().describe().get<double>("p"), std::invalid_argument);
}

TEST(LayerSpec, EveryBuiltInKindIsOneRowOfTheTable) {
  std::vector<std::string> kinds;
  for (const LayerKind* row : layer_kinds())
    kinds.push_back(row->kind);
  EXPECT_EQ(kinds,
            (std::vector<std::string>{"Linear", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "GELU",
                                      "Softmax", "Dropout", "Conv2d", "MaxPool2d", "AvgPool2d",
                                      "BatchNorm", "Flatten", "AdaptiveAvgPool2d"}));
  EXPECT_EQ(find_layer_token("leaky_relu"), find_layer_kind("LeakyReLU"));
  EXPECT_EQ(find_layer_token(""), nullptr);
  EXPECT_EQ(find_layer_kind("Conv3d"), nullptr);
  // One spec token, two torch classes: the input's shape picks BatchNorm1d or BatchNorm2d.
  EXPECT_EQ(find_layer_kind("BatchNorm1d"), find_layer_token("batchnorm"));
  EXPECT_EQ(find_layer_kind("BatchNorm2d"), find_layer_token("batchnorm"));
  LayerKind alias = *find_layer_kind("Tanh");
  alias.kind = "Tanh2";
  alias.token = "tanh2";
  alias.also_kinds = {"BatchNorm2d"};  // a kind another row answers to
  EXPECT_THROW(register_layer_kind(alias), std::invalid_argument);
  LayerKind taken = *find_layer_kind("ReLU");
  EXPECT_THROW(register_layer_kind(taken), std::invalid_argument);
  taken.kind = "ReLU6";
  taken.token = "Relu6";  // tokens are lowercase
  EXPECT_THROW(register_layer_kind(taken), std::invalid_argument);
}

// The spec a model built in C++ derives from its layers builds the same model, and for a model
// built from a spec it is that spec's canonical text.
TEST(LayerSpec, AModelWritesItsOwnSpec) {
  for (const char* spec : {"256:relu,128:relu,dropout:0.2,10", "4:sigmoid,1:sigmoid",
                           "8:leaky_relu=0.3,dropout:0,3:softmax", "5:gelu,5:tanh,5:leaky_relu,1",
                           "4:nobias:relu,relu,leaky_relu=0.2,3:nobias,dropout:0.1,2"}) {
    EXPECT_EQ(format_layer_spec(model_spec(build_model<float>(parse_layer_spec(spec), 3))), spec);
    EXPECT_EQ(format_layer_spec(model_spec(build_model<double>(parse_layer_spec(spec), 3))), spec);
  }
  Sequential<float> model(/*inputs=*/3);
  model.emplace<Dropout<float>>(0.25);
  model.emplace<ReLU<float>>();
  model.emplace<Dense<float>>(3, 2, Bias::none);
  model.emplace<Dense<float>>(2, 2);
  model.emplace<LeakyReLU<float>>(0.2f);
  model.emplace<Sigmoid<float>>();
  EXPECT_EQ(format_layer_spec(model_spec(model)),
            "dropout:0.25,relu,2:nobias,2:leaky_relu=0.2,sigmoid");
}

struct BadSpec {
  std::string spec;
  std::string message;
};

class LayerSpecError : public ::testing::TestWithParam<BadSpec> {};

TEST_P(LayerSpecError, QuotesTheEntryAndSaysWhy) {
  try {
    parse_layer_spec(GetParam().spec);
    FAIL() << "accepted '" << GetParam().spec << "'";
  } catch (const SpecError& error) {
    EXPECT_EQ(std::string(error.what()), GetParam().message);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, LayerSpecError,
    ::testing::Values(
        BadSpec{"", "layer spec is empty; expected e.g. 128:relu,10"},
        BadSpec{"256,,10",
                "layer spec entry 2 '': empty entry (two commas in a row, or a trailing comma?)"},
        BadSpec{"256,",
                "layer spec entry 2 '': empty entry (two commas in a row, or a trailing comma?)"},
        BadSpec{"256:rleu,10",
                "layer spec entry 1 '256:rleu': unknown activation 'rleu' (valid: sigmoid, tanh, "
                "relu, leaky_relu, gelu, softmax)"},
        BadSpec{"rleu,10",
                "layer spec entry 1 'rleu': expected UNITS[:nobias][:ACTIVATION], an activation, "
                "dropout:P, conv:OUT:K, maxpool:K, avgpool:K, batchnorm, flatten or globalavgpool, "
                "and 'rleu' is not a number of units"},
        BadSpec{"10,0", "layer spec entry 2 '0': units must be in 1..100000000"},
        BadSpec{"-5", "layer spec entry 1 '-5': units must be in 1..100000000"},
        BadSpec{"99999999999999999999",
                "layer spec entry 1 '99999999999999999999': expected UNITS[:nobias][:ACTIVATION], "
                "an activation, dropout:P, conv:OUT:K, maxpool:K, avgpool:K, batchnorm, flatten or "
                "globalavgpool, and '99999999999999999999' is not a number of units"},
        BadSpec{"16:", "layer spec entry 1 '16:': nothing after ':'"},
        BadSpec{"dropout",
                "layer spec entry 1 'dropout': dropout needs a probability, as in dropout:0.2"},
        BadSpec{"dropout:1",
                "layer spec entry 1 'dropout:1': dropout probability must be in [0, 1)"},
        BadSpec{"dropout:-0.1",
                "layer spec entry 1 'dropout:-0.1': dropout probability must be in [0, 1)"},
        BadSpec{"dropout:nan",
                "layer spec entry 1 'dropout:nan': dropout probability must be in [0, 1)"},
        BadSpec{"8:relu=2", "layer spec entry 1 '8:relu=2': only leaky_relu takes a value"},
        BadSpec{"8:leaky_relu=x",
                "layer spec entry 1 '8:leaky_relu=x': leaky_relu's slope must be a finite number "
                "within float's range, as in leaky_relu=0.2"},
        BadSpec{"8:nobias:", "layer spec entry 1 '8:nobias:': nothing after ':'"},
        BadSpec{"8:nobias:rleu",
                "layer spec entry 1 '8:nobias:rleu': unknown activation 'rleu' (valid: sigmoid, "
                "tanh, relu, leaky_relu, gelu, softmax)"},
        BadSpec{"8:dropout:0.5",
                "layer spec entry 1 '8:dropout:0.5': unknown activation 'dropout:0.5' (valid: "
                "sigmoid, tanh, relu, leaky_relu, gelu, softmax)"},
        BadSpec{"relu:3", "layer spec entry 1 'relu:3': relu takes no arguments"},
        BadSpec{"tanh=3", "layer spec entry 1 'tanh=3': only leaky_relu takes a value"},
        BadSpec{"leaky_relu=inf",
                "layer spec entry 1 'leaky_relu=inf': leaky_relu's slope must be a finite number "
                "within float's range, as in leaky_relu=0.2"},
        // Found by fuzz/fuzz_layer_spec: a float model's slope was -inf, which the model's own
        // spec could not write back.
        BadSpec{"12:leaky_relu=-1e100",
                "layer spec entry 1 '12:leaky_relu=-1e100': leaky_relu's slope must be a finite "
                "number within float's range, as in leaky_relu=0.2"},
        BadSpec{"8:relu:sigmoid",
                "layer spec entry 1 '8:relu:sigmoid': unknown activation 'relu:sigmoid' (valid: "
                "sigmoid, tanh, relu, leaky_relu, gelu, softmax)"}));

// Found by fuzz/fuzz_layer_spec: the message quoted the entry as it was, line breaks and all,
// so the command line's one error line became several.
TEST(LayerSpec, AnEntryWithALineBreakStillGivesOneLine) {
  try {
    parse_layer_spec("16:relu,drop\nout\r:0.2");
    FAIL() << "accepted";
  } catch (const SpecError& error) {
    EXPECT_EQ(std::string(error.what()),
              "layer spec entry 2 'drop\\nout\\r:0.2': expected UNITS[:nobias][:ACTIVATION], an "
              "activation, dropout:P, conv:OUT:K, maxpool:K, avgpool:K, batchnorm, flatten or "
              "globalavgpool, and 'drop\\nout\\r' is not a number of units");
  }
}

// LeNet-5, as one string: each entry a torch.nn.Sequential entry, so the tensors are named and
// shaped as torch's nn.Sequential of the same modules names and shapes them.
TEST(LayerSpec, BuildsLeNet5WithTorchNumberingAndShapes) {
  const char* lenet =
      "conv:6:5:padding=2:relu,maxpool:2,conv:16:5:relu,maxpool:2,flatten,120:relu,84:relu,10";
  const auto entries = parse_layer_spec(lenet);
  EXPECT_EQ(format_layer_spec(entries), lenet);
  auto model = build_model<float>(entries, Shape{1, 28, 28});
  std::vector<std::string> kinds;
  for (std::size_t i = 0; i < model.size(); ++i)
    kinds.push_back(model.layer(i).name());
  EXPECT_EQ(kinds,
            (std::vector<std::string>{"Conv2d", "ReLU", "MaxPool2d", "Conv2d", "ReLU", "MaxPool2d",
                                      "Flatten", "Linear", "ReLU", "Linear", "ReLU", "Linear"}));
  std::vector<std::pair<std::string, std::vector<Index>>> tensors;
  for (const auto& parameter : model.named_parameters())
    tensors.emplace_back(parameter.name, parameter.shape);
  EXPECT_EQ(tensors,
            (std::vector<std::pair<std::string, std::vector<Index>>>{{"0.weight", {6, 1, 5, 5}},
                                                                     {"0.bias", {6}},
                                                                     {"3.weight", {16, 6, 5, 5}},
                                                                     {"3.bias", {16}},
                                                                     {"7.weight", {120, 400}},
                                                                     {"7.bias", {120}},
                                                                     {"9.weight", {84, 120}},
                                                                     {"9.bias", {84}},
                                                                     {"11.weight", {10, 84}},
                                                                     {"11.bias", {10}}}));
  EXPECT_EQ(model.parameters().size(), 61706);  // torchsummary's count for LeNet-5
  EXPECT_EQ(format_layer_spec(model_spec(model)), lenet);
}

TEST(LayerSpec, ImageEntriesParseTheirOptionsAndWriteThemBackCanonically) {
  const auto entries = parse_layer_spec(
      "conv:8:3:groups=2:nobias:stride=2:padding=1:dilation=2:leaky_relu=0.1,maxpool:3,"
      "avgpool:2:stride=1:padding=1,batchnorm,globalavgpool,flatten,4");
  ASSERT_EQ(entries.size(), 7u);
  EXPECT_EQ(entries[0].layers[0], (LayerDescription{"Conv2d",
                                                    {{"out_channels", std::int64_t{8}},
                                                     {"kernel_size", std::int64_t{3}},
                                                     {"stride", std::int64_t{2}},
                                                     {"padding", std::int64_t{1}},
                                                     {"dilation", std::int64_t{2}},
                                                     {"groups", std::int64_t{2}},
                                                     {"bias", false}}}));
  EXPECT_EQ(entries[0].layers[1].kind, "LeakyReLU");
  // A pool's stride is its kernel unless given, as in torch.
  EXPECT_EQ(entries[1].layers[0].get<std::int64_t>("stride"), 3);
  EXPECT_EQ(entries[2].layers[0].get<std::int64_t>("stride"), 1);
  EXPECT_EQ(format_layer_spec(entries),
            "conv:8:3:stride=2:padding=1:dilation=2:groups=2:nobias:leaky_relu=0.1,maxpool:3,"
            "avgpool:2:stride=1:padding=1,batchnorm,globalavgpool,flatten,4");
  auto model = build_model<double>(entries, Shape{4, 17, 15});
  EXPECT_EQ(model.layer(3).name(), "AvgPool2d");
  EXPECT_EQ(model.layer(4).name(), "BatchNorm2d");
  EXPECT_EQ(model.output_shape(), Shape(4));
  EXPECT_EQ(format_layer_spec(model_spec(model)), format_layer_spec(entries));
  // The same batchnorm entry on flat samples is a BatchNorm1d.
  EXPECT_EQ(build_model<double>(parse_layer_spec("4,batchnorm"), 3).layer(1).name(), "BatchNorm1d");
}

// A network with an image layer takes the data's image shape; a dense one takes images flat.
TEST(LayerSpec, ImageLayersDecideWhetherTheModelTakesTheImageShape) {
  const Shape image{1, 28, 28};
  EXPECT_EQ(model_input_shape(parse_layer_spec("256:relu,batchnorm,10"), image), Shape(784));
  EXPECT_EQ(model_input_shape(parse_layer_spec("conv:6:5,flatten,10"), image), image);
  EXPECT_EQ(model_input_shape(parse_layer_spec("flatten,10"), image), image);
  EXPECT_EQ(model_input_shape(parse_layer_spec("10"), Shape(5)), Shape(5));
}

// Entries that parse but cannot take the shape before them say which entry and why.
TEST(LayerSpec, AnEntryThatCannotTakeItsInputNamesItselfAndTheShape) {
  const auto problem = [](const std::string& spec, const Shape& input) {
    try {
      build_model<float>(parse_layer_spec(spec), input);
    } catch (const SpecError& error) {
      return std::string(error.what());
    }
    return std::string("built");
  };
  EXPECT_EQ(problem("conv:6:5,maxpool:2,10", Shape{1, 12, 12}),
            "layer spec entry 3 '10': a Linear layer takes flat samples, and its input has shape "
            "[6, 4, 4]: put a flatten entry before it");
  EXPECT_EQ(problem("conv:6:5,10", Shape(784)),
            "layer spec entry 1 'conv:6:5': conv takes images [C, H, W], and its input has shape "
            "[784] (a CSV of images needs --input-shape C,H,W)");
  EXPECT_EQ(problem("flatten,maxpool:2", Shape{1, 4, 4}),
            "layer spec entry 2 'maxpool:2': maxpool takes images [C, H, W], and its input has "
            "shape [16] (a CSV of images needs --input-shape C,H,W)");
  EXPECT_NE(problem("conv:4:7", Shape{1, 5, 5}).find("layer spec entry 1 'conv:4:7': "),
            std::string::npos);
  EXPECT_NE(problem("conv:4:3:groups=2", Shape{3, 5, 5}).find("layer spec entry 1 "),
            std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(
    MalformedImageEntries, LayerSpecError,
    ::testing::Values(
        BadSpec{"conv:6",
                "layer spec entry 1 'conv:6': conv needs its output channels and kernel size, "
                "conv:OUT:K[:stride=S][:padding=P][:dilation=D][:groups=G][:nobias][:ACTIVATION]"},
        BadSpec{"conv",
                "layer spec entry 1 'conv': expected "
                "conv:OUT:K[:stride=S][:padding=P][:dilation=D][:groups=G][:nobias][:ACTIVATION]"},
        BadSpec{"conv:0:5",
                "layer spec entry 1 'conv:0:5': conv's output channels OUT must be a whole number "
                "in 1..100000000, got '0'"},
        BadSpec{"conv:6:-1",
                "layer spec entry 1 'conv:6:-1': conv's kernel size K must be a "
                "whole number in 1..1000000, got '-1'"},
        BadSpec{"conv:6:5:stride=0",
                "layer spec entry 1 'conv:6:5:stride=0': stride must be a whole number in "
                "1..1000000, got '0'"},
        BadSpec{"conv:6:5:padding=-1",
                "layer spec entry 1 'conv:6:5:padding=-1': padding must be a whole number in "
                "0..1000000, got '-1'"},
        BadSpec{"conv:6:5:stride=2:stride=3",
                "layer spec entry 1 'conv:6:5:stride=2:stride=3': stride is given twice"},
        BadSpec{"conv:6:5:stride",
                "layer spec entry 1 'conv:6:5:stride': stride needs a value, as in stride=2"},
        BadSpec{"conv:6:5:nobias=1",
                "layer spec entry 1 'conv:6:5:nobias=1': nobias takes no value"},
        BadSpec{"conv:6:5:groups=4",
                "layer spec entry 1 'conv:6:5:groups=4': its 6 output channels do not divide into "
                "4 groups"},
        BadSpec{"conv:6:5:stripe=2",
                "layer spec entry 1 'conv:6:5:stripe=2': unknown option 'stripe=2'; expected "
                "conv:OUT:K[:stride=S][:padding=P][:dilation=D][:groups=G][:nobias][:ACTIVATION]"},
        BadSpec{"conv:6:5::relu",
                "layer spec entry 1 'conv:6:5::relu': an empty piece between "
                "colons; expected "
                "conv:OUT:K[:stride=S][:padding=P][:dilation=D][:groups=G]["
                ":nobias][:ACTIVATION]"},
        BadSpec{"maxpool",
                "layer spec entry 1 'maxpool': expected maxpool:K[:stride=S][:padding=P]"},
        BadSpec{"maxpool:2:padding=2",
                "layer spec entry 1 'maxpool:2:padding=2': padding 2 is more than half the kernel "
                "size 2 (as torch requires)"},
        BadSpec{"avgpool:3:dilation=2",
                "layer spec entry 1 'avgpool:3:dilation=2': unknown option 'dilation=2'; expected "
                "avgpool:K[:stride=S][:padding=P]"},
        BadSpec{"batchnorm:2", "layer spec entry 1 'batchnorm:2': batchnorm takes no arguments"},
        BadSpec{"flatten:1", "layer spec entry 1 'flatten:1': flatten takes no arguments"}));

}  // namespace
}  // namespace scratchnet
