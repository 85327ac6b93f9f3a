// Layer spec strings: parsing, PyTorch's parameter numbering, round trips and clear errors.
#include <gtest/gtest.h>

#include "scratchnet/layer_spec.hpp"

namespace scratchnet {
namespace {

using Kind = SpecEntry::Kind;

TEST(LayerSpec, ParsesTheIssueExample) {
  const auto entries = parse_layer_spec("256:relu,128:relu,dropout:0.2,10");
  const std::vector<SpecEntry> expected = {{Kind::dense, 256, "relu", 0},
                                           {Kind::dense, 128, "relu", 0},
                                           {Kind::dropout, 0, "", 0.2},
                                           {Kind::dense, 10, "", 0}};
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
  EXPECT_DOUBLE_EQ(entries[0].parameter, 0.25);
  EXPECT_DOUBLE_EQ(parse_layer_spec("1:leaky_relu")[0].parameter, 0.01);
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
        BadSpec{
            "relu,10",
            "layer spec entry 1 'relu': expected UNITS[:ACTIVATION] or dropout:P, and 'relu' is "
            "not a number of units"},
        BadSpec{"10,0", "layer spec entry 2 '0': units must be in 1..100000000"},
        BadSpec{"-5", "layer spec entry 1 '-5': units must be in 1..100000000"},
        BadSpec{"99999999999999999999",
                "layer spec entry 1 '99999999999999999999': expected UNITS[:ACTIVATION] or "
                "dropout:P, and '99999999999999999999' is not a number of units"},
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
        BadSpec{
            "8:leaky_relu=x",
            "layer spec entry 1 '8:leaky_relu=x': leaky_relu's slope must be a finite number, as "
            "in leaky_relu=0.2"},
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
              "layer spec entry 2 'drop\\nout\\r:0.2': expected UNITS[:ACTIVATION] or dropout:P, "
              "and 'drop\\nout\\r' is not a number of units");
  }
}

}  // namespace
}  // namespace scratchnet
