// The decisive test: networks that PyTorch built, ran and differentiated in float64
// (tests/fixtures/torch_networks.json, written by tools/make_torch_network_fixtures.py), rebuilt
// here from their layer lists and state_dict parameters. The output, the loss, every parameter
// gradient and dloss/dinput must agree with torch's to 1e-10.
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "fixtures.hpp"
#include "named_tensors.hpp"
#include "scratchnet/layers/dense.hpp"
#include "scratchnet/layers/dropout.hpp"
#include "scratchnet/layers/gelu.hpp"
#include "scratchnet/layers/leaky_relu.hpp"
#include "scratchnet/layers/relu.hpp"
#include "scratchnet/layers/sigmoid.hpp"
#include "scratchnet/layers/softmax.hpp"
#include "scratchnet/layers/tanh.hpp"
#include "torch_pass.hpp"

namespace scratchnet {
namespace {

using nlohmann::json;
using testing::matrices_near;
using testing::matrix_from_json;

constexpr double kTolerance = 1e-10;
constexpr const char* kFixture = "torch_networks.json";

// The scratchnet layer for one recorded torch module.
std::unique_ptr<Layer<double>> make_layer(const json& layer) {
  const std::string kind = layer.at("kind");
  if (kind == "Linear") {
    return std::make_unique<Dense<double>>(layer.at("in_features").get<Index>(),
                                           layer.at("out_features").get<Index>(),
                                           layer.at("bias").get<bool>() ? Bias::add : Bias::none);
  }
  if (kind == "Sigmoid") return std::make_unique<Sigmoid<double>>();
  if (kind == "Tanh") return std::make_unique<Tanh<double>>();
  if (kind == "ReLU") return std::make_unique<ReLU<double>>();
  if (kind == "LeakyReLU") {
    return std::make_unique<LeakyReLU<double>>(layer.at("negative_slope").get<double>());
  }
  if (kind == "GELU" && layer.at("approximate") == "none") return std::make_unique<GELU<double>>();
  if (kind == "Softmax" && layer.at("dim") == 1) return std::make_unique<Softmax<double>>();
  if (kind == "Dropout") return std::make_unique<Dropout<double>>(layer.at("p").get<double>());
  throw std::invalid_argument("no scratchnet layer for " + layer.dump());
}

const json& fixture_case(const std::string& name) {
  static const json fixture = testing::load_fixture(kFixture);
  for (const json& recorded : fixture.at("cases"))
    if (recorded.at("name") == name) return recorded;
  throw std::invalid_argument("no case named " + name + " in " + kFixture);
}

// The case names, read before the tests run so that each network is a test of its own. An empty
// list (no fixture) leaves the suite uninstantiated, which GoogleTest reports as a failure.
std::vector<std::string> case_names() {
  std::ifstream file(std::string(SCRATCHNET_FIXTURES_DIR) + "/" + kFixture);
  if (!file) return {};
  const json fixture = json::parse(file);
  std::vector<std::string> names;
  for (const json& recorded : fixture.at("cases"))
    names.push_back(recorded.at("name"));
  return names;
}

class AgainstTorch : public ::testing::TestWithParam<std::string> {};

TEST_P(AgainstTorch, SameOutputLossAndGradients) {
  const json& expected = fixture_case(GetParam());
  Sequential<double> model(Index(expected.at("input").at(0).size()));
  for (const json& layer : expected.at("layers")) {
    model.add(make_layer(layer));
    EXPECT_EQ(model.layer(model.size() - 1).name(), layer.at("kind").get<std::string>());
  }
  ASSERT_TRUE(testing::load_named_parameters(model, expected.at("parameters")));
  const std::unique_ptr<Loss<double>> loss = testing::torch_loss<double>(expected.at("loss"));

  testing::expect_pass_matches_torch(model, *loss, expected, kTolerance);
}

INSTANTIATE_TEST_SUITE_P(TorchNetworks, AgainstTorch, ::testing::ValuesIn(case_names()),
                         [](const auto& info) { return info.param; });

// The fixture exercises every layer and loss scratchnet has, with and without bias, at the
// batch sizes and depths the generator promises.
TEST(TorchNetworks, FixtureCoversEveryLayerAndLoss) {
  const json fixture = testing::load_fixture(kFixture);
  std::set<std::string> kinds, losses, slopes;
  std::set<bool> biases;
  std::set<Index> batches, depths;
  for (const json& recorded : fixture.at("cases")) {
    losses.insert(recorded.at("loss").get<std::string>());
    batches.insert(Index(recorded.at("input").size()));
    Index depth = 0;
    for (const json& layer : recorded.at("layers")) {
      kinds.insert(layer.at("kind").get<std::string>());
      if (layer.at("kind") == "Linear") ++depth, biases.insert(layer.at("bias").get<bool>());
      if (layer.at("kind") == "LeakyReLU") slopes.insert(layer.at("negative_slope").dump());
    }
    depths.insert(depth);
  }
  EXPECT_EQ(kinds, (std::set<std::string>{"Linear", "Sigmoid", "Tanh", "ReLU", "LeakyReLU", "GELU",
                                          "Softmax", "Dropout"}));
  EXPECT_EQ(losses, (std::set<std::string>{"MSELoss", "BCEWithLogitsLoss", "CrossEntropyLoss",
                                           "SumSquaredError"}));
  EXPECT_EQ(biases, (std::set<bool>{false, true}));
  EXPECT_TRUE(slopes.count("0.01")) << "LeakyReLU at torch's default slope";
  EXPECT_GE(slopes.size(), 2u) << "LeakyReLU at another slope";
  EXPECT_TRUE(batches.count(1) && batches.count(5) && batches.count(8));
  EXPECT_EQ(depths, (std::set<Index>{1, 2, 3, 4}));
}

// The loader puts each tensor at its named offset, row-major, and says what is wrong otherwise.
TEST(NamedTensors, LoadsByNameAndRejectsWhatDoesNotFit) {
  Sequential<double> model(/*inputs=*/2);
  model.emplace<Dense<double>>(2, 3, Bias::add);
  model.emplace<Tanh<double>>();
  model.emplace<Dense<double>>(3, 1, Bias::none);
  const json tensors = json::parse(R"({"2.weight": [[7, 8, 9]], "0.bias": [-1, -2, -3],
                                       "0.weight": [[1, 2], [3, 4], [5, 6]]})");
  ASSERT_TRUE(testing::load_named_parameters(model, tensors));
  Eigen::VectorXd expected(12);
  expected << 1, 2, 3, 4, 5, 6, -1, -2, -3, 7, 8, 9;
  EXPECT_EQ(Eigen::VectorXd(model.parameters()), expected);
  EXPECT_EQ(testing::named_tensor(model.parameters(), model.named_parameters()[0]),
            matrix_from_json(tensors["0.weight"]));

  const auto failure = [&](json changed) {
    const auto result = testing::load_named_parameters(model, changed);
    EXPECT_FALSE(result);
    return std::string(result.message());
  };
  json missing = tensors;
  missing.erase("0.bias");
  EXPECT_EQ(failure(missing), "no tensor named \"0.bias\" (the model's [3] parameter)");
  json extra = tensors;
  extra["1.weight"] = json::array({1});
  EXPECT_EQ(failure(extra), "tensor \"1.weight\" is not a parameter of the model");
  json transposed = tensors;
  transposed["0.weight"] = json::parse("[[1, 3, 5], [2, 4, 6]]");
  EXPECT_EQ(failure(transposed),
            "tensor \"0.weight\" is [2, 3] but the model's parameter is [3, 2]");
  json ragged = tensors;
  ragged["0.weight"] = json::parse("[[1, 2], [3], [5, 6]]");
  EXPECT_EQ(failure(ragged), "ragged lists: [1] has 1 elements, not 2 in tensor \"0.weight\"");
  json text = tensors;
  text["0.bias"] = json::parse(R"([1, "two", 3])");
  EXPECT_EQ(failure(text), "not a number or list at [1]: \"two\" in tensor \"0.bias\"");
}

}  // namespace
}  // namespace scratchnet
