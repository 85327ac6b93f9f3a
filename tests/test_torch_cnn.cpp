// Convolutional networks that PyTorch built from the same layer specs, ran and differentiated in
// float64 (tests/fixtures/torch_cnn.json, written by tools/make_torch_cnn_fixtures.py), built
// here by the spec parser from the same state_dict. The output, the loss, every parameter
// gradient, dloss/dinput and the BatchNorm buffers after the pass must agree with torch's to
// 1e-10, in training mode (batch statistics) and evaluation mode (running statistics).
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "named_tensors.hpp"
#include "scratchnet/model/layer_spec.hpp"
#include "torch_pass.hpp"

namespace scratchnet {
namespace {

using nlohmann::json;
using testing::matrices_near;
using testing::matrix_from_json;

constexpr double kTolerance = 1e-10;
constexpr const char* kFixture = "torch_cnn.json";

const json& fixture() {
  static const json loaded = testing::load_fixture(kFixture);
  return loaded;
}

const json& fixture_case(const std::string& name) {
  for (const json& recorded : fixture().at("cases"))
    if (recorded.at("name") == name) return recorded;
  throw std::invalid_argument("no case named " + name + " in " + kFixture);
}

std::vector<std::string> case_names() {
  std::ifstream file(std::string(SCRATCHNET_FIXTURES_DIR) + "/" + kFixture);
  if (!file) return {};
  const json cases = json::parse(file).at("cases");  // a range over a temporary's member dangles
  std::vector<std::string> names;
  for (const json& recorded : cases)
    names.push_back(recorded.at("name"));
  return names;
}

class CnnAgainstTorch : public ::testing::TestWithParam<std::string> {};

TEST_P(CnnAgainstTorch, SameOutputLossGradientsAndBuffers) {
  const json& expected = fixture_case(GetParam());
  Sequential<double> model =
      build_model<double>(parse_layer_spec(expected.at("spec").get<std::string>()),
                          Shape(expected.at("input_shape").get<std::vector<Index>>()));
  ASSERT_EQ(model.size(), expected.at("layers").size());
  ASSERT_TRUE(testing::load_named_state(model, expected.at("state_dict")));
  const SampleRandom random(1);
  if (expected.at("mode") == "train") model.train(random);
  const std::unique_ptr<Loss<double>> loss = testing::torch_loss<double>(expected.at("loss"));

  testing::expect_pass_matches_torch(model, *loss, expected, kTolerance);

  // The running statistics a training pass moved, and the count of batches it tracked.
  const json& buffers = expected.at("buffers");
  for (const NamedBuffer& buffer : model.named_buffers()) {
    if (buffer.type == BufferType::int64) {
      EXPECT_EQ(model.integer_buffers()[std::size_t(buffer.offset)],
                buffers.at(buffer.name).get<std::int64_t>())
          << buffer.name;
      continue;
    }
    const NamedParameter as_tensor{buffer.name, buffer.shape, buffer.offset};
    EXPECT_TRUE(matrices_near(testing::named_tensor(model.buffers(), as_tensor),
                              matrix_from_json(json::array({buffers.at(buffer.name)})), kTolerance))
        << buffer.name;
  }
}

INSTANTIATE_TEST_SUITE_P(TorchCnn, CnnAgainstTorch, ::testing::ValuesIn(case_names()),
                         [](const auto& info) { return info.param; });

// The cases build every image layer and option the spec grammar has, in both modes.
TEST(TorchCnn, FixtureCoversEveryImageLayerAndOption) {
  std::set<std::string> kinds, modes;
  std::string specs;
  std::set<std::size_t> batches;
  for (const json& recorded : fixture().at("cases")) {
    const auto shape = recorded.at("input_shape").get<std::vector<Index>>();
    const Sequential<double> model =
        build_model<double>(parse_layer_spec(recorded.at("spec").get<std::string>()), Shape(shape));
    for (std::size_t i = 0; i < model.size(); ++i)
      kinds.insert(model.layer(i).name());
    modes.insert(recorded.at("mode").get<std::string>());
    batches.insert(recorded.at("input").size());
    specs += recorded.at("spec").get<std::string>() + ",";
  }
  for (const char* kind : {"Conv2d", "MaxPool2d", "AvgPool2d", "BatchNorm1d", "BatchNorm2d",
                           "Flatten", "AdaptiveAvgPool2d", "Linear"}) {
    EXPECT_TRUE(kinds.count(kind)) << kind;
  }
  for (const char* option : {":stride=", ":padding=", ":dilation=", ":groups=", ":nobias"})
    EXPECT_NE(specs.find(option), std::string::npos) << option;
  EXPECT_EQ(modes, (std::set<std::string>{"train", "eval"}));
  EXPECT_TRUE(batches.count(1));
}

}  // namespace
}  // namespace scratchnet
