// Model files: save and load round trips in float and double, the tensors and metadata a file
// holds, a torch-written state_dict (tests/fixtures/torch_sequential*.safetensors) giving torch's
// forward output, every mismatch between a file and its network with its one-line message, and
// the atomic write underneath: a failed write (missing or read-only folder, full disk) leaves the
// old file as it was and no temporary behind.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>

#include "fixtures.hpp"
#include "scratchnet/files/atomic_file.hpp"
#include "scratchnet/init/initializer.hpp"
#include "scratchnet/io/metadata_json.hpp"
#include "scratchnet/io/model_file.hpp"
#include "scratchnet/layers/dense.hpp"
#include "scratchnet/layers/dropout.hpp"
#include "scratchnet/layers/leaky_relu.hpp"
#include "scratchnet/layers/sigmoid.hpp"
#include "scratchnet/layers/tanh.hpp"
#include "scratchnet/model/layer_spec.hpp"
#include "scratchnet/xor.hpp"
#include "temporary_folder.hpp"

namespace scratchnet::io {
namespace {

using testing::names_in;
using testing::read_bytes;
using testing::TemporaryFolder;
using testing::write_bytes;

namespace fs = std::filesystem;
using files::write_file_atomically;
using testing::matrices_near;
using testing::matrix_from_json;

std::string fixture(const std::string& name) {
  return std::string(SCRATCHNET_FIXTURES_DIR) + "/" + name;
}

// A model of `spec` on `inputs` features with torch's default initialisation from `seed`.
template <typename T>
Sequential<T> make_model(const std::string& spec, Index inputs, std::uint32_t seed = 1) {
  Sequential<T> model = build_model<T>(parse_layer_spec(spec), inputs);
  Random random(seed);
  initialize(model, Initializer::torch_default, random);
  return model;
}

// A description that gives only the layer spec.
ModelDescription with_spec(const std::string& spec) {
  ModelDescription description;
  description.spec = spec;
  return description;
}

ModelDescription full_description() {
  ModelDescription description;
  description.spec = "5:relu,dropout:0.5,3";
  description.inputs = 3;
  description.loss = "ce";
  description.classes = {"cat", "dög", "bird"};
  description.mean = {0.5, -1, 2};
  description.scale = {1, 2, 0.25};
  description.feature_names = {"x", "y", "z"};
  description.label_name = "animal";
  description.training_json = R"({"epochs":3,"optimizer":"Adam","lr":0.001,"seed":7})";
  description.pixel_scale = 255;
  description.missing = {data::MissingStrategy::median, {1.5, -0.25, 1e300}};
  return description;
}

template <typename T>
void expect_round_trip() {
  TemporaryFolder folder;
  const std::string path = folder.file("model.safetensors");
  Sequential<T> model = make_model<T>("5:relu,dropout:0.5,3", 3);
  const ModelDescription description = full_description();
  save_model(path, model, description);

  LoadedModel<T> loaded = load_model<T>(path);
  EXPECT_TRUE(loaded.has_metadata);
  EXPECT_EQ(loaded.description, description);
  ASSERT_EQ(loaded.network.parameters().size(), model.parameters().size());
  for (Index i = 0; i < model.parameters().size(); ++i)
    ASSERT_EQ(loaded.network.parameters()[i], model.parameters()[i]) << "parameter " << i;
  Matrix<T> x(2, 3);
  x << 1, -2, 0.5, 0.25, 3, -1;
  const Matrix<T> expected = model.forward(x);
  EXPECT_EQ(Matrix<T>(loaded.network.forward(x)), expected);
  EXPECT_EQ(names_in(folder.path()), std::vector<std::string>{"model.safetensors"});
}

TEST(ModelFile, RoundTripsAFloatModelWithItsDescription) {
  expect_round_trip<float>();
}

TEST(ModelFile, RoundTripsADoubleModelWithItsDescription) {
  expect_round_trip<double>();
}

TEST(ModelFile, WritesTorchNamesShapesDtypesAndMetadata) {
  TemporaryFolder folder;
  const std::string path = folder.file("model.safetensors");
  Sequential<float> model = make_model<float>("5:relu,dropout:0.5,3", 3);
  save_model(path, model, full_description());

  const SafetensorsFile file = read_safetensors(path);
  ASSERT_EQ(file.tensors.size(), 4u);
  const std::vector<std::pair<std::string, std::vector<std::int64_t>>> expected{
      {"0.weight", {5, 3}}, {"0.bias", {5}}, {"3.weight", {3, 5}}, {"3.bias", {3}}};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(file.tensors[i].name, expected[i].first);
    EXPECT_EQ(file.tensors[i].shape, expected[i].second);
    EXPECT_EQ(file.tensors[i].dtype, Dtype::F32);
  }
  EXPECT_EQ(tensor_values<float>(file.tensors[0])[4], model.parameters()[4]);
  const std::map<std::string, std::string> metadata{
      {"format", "pt"},
      {"scratchnet", "1"},
      {"spec", "5:relu,dropout:0.5,3"},
      {"inputs", "3"},
      {"loss", "ce"},
      {"classes", R"(["cat","dög","bird"])"},
      {"normalization", R"({"mean":[0.5,-1.0,2.0],"scale":[1.0,2.0,0.25]})"},
      {"pixel_scale", "255"},
      {"missing_values", R"({"fill":[1.5,-0.25,1e+300],"strategy":"median"})"},
      {"feature_names", R"(["x","y","z"])"},
      {"label_name", "animal"},
      {"training", R"({"epochs":3,"optimizer":"Adam","lr":0.001,"seed":7})"}};
  EXPECT_EQ(file.metadata, metadata);

  Sequential<double> wide = make_model<double>("2", 4);
  save_model(path, wide, with_spec("2"));
  const SafetensorsFile doubles = read_safetensors(path);
  EXPECT_EQ(doubles.tensors[0].dtype, Dtype::F64);
  EXPECT_EQ(doubles.metadata.count("normalization"), 0u);
  EXPECT_EQ(doubles.metadata.at("classes"), "[]");
  EXPECT_EQ(doubles.metadata.at("training"), "{}");
}

TEST(ModelFile, LoadsTorchsSaveFileAndGivesTorchsOutput) {
  const nlohmann::json reference = testing::load_fixture("torch_sequential.json");
  const Matrix<double> x = matrix_from_json(reference["input"]);
  const std::string spec = reference["spec"];

  LoadedModel<float> single = load_model<float>(fixture("torch_sequential.safetensors"), spec);
  EXPECT_FALSE(single.has_metadata);
  EXPECT_EQ(single.description.spec, "4:relu,2");
  EXPECT_EQ(single.description.inputs, 3);  // from 0.weight's [4, 3]
  const Matrix<float> x32 = x.cast<float>();
  EXPECT_TRUE(matrices_near(single.network.forward(x32).cast<double>(),
                            matrix_from_json(reference["output"]), 1e-6));

  // The float32 weights widened to double give torch's float64 network's output.
  LoadedModel<double> wide = load_model<double>(fixture("torch_sequential.safetensors"), spec);
  EXPECT_TRUE(
      matrices_near(wide.network.forward(x), matrix_from_json(reference["output_f64"]), 1e-12));
  LoadedModel<double> f64 = load_model<double>(fixture("torch_sequential_f64.safetensors"), spec);
  EXPECT_FALSE(f64.has_metadata);  // {"format": "pt"} alone is not scratchnet's metadata
  EXPECT_TRUE(
      matrices_near(f64.network.forward(x), matrix_from_json(reference["output_f64"]), 1e-12));
}

TEST(ModelFile, NeedsALayerSpecForAFileWithoutMetadata) {
  const std::string path = fixture("torch_sequential.safetensors");
  try {
    load_model<float>(path);
    FAIL() << "no error";
  } catch (const FormatError& error) {
    EXPECT_EQ(std::string(error.what()),
              path +
                  ": the file does not say which network it holds (it has no scratchnet "
                  "metadata); --layers is needed to give its layer spec");
  }
}

TEST(ModelFile, RefusesALayerSpecThatDoesNotFitTheTensors) {
  const std::string path = fixture("torch_sequential.safetensors");
  const auto error = [&](const std::string& spec) {
    try {
      load_model<float>(path, spec);
    } catch (const FormatError& failure) {
      return std::string(failure.what()).substr(path.size() + 2);
    }
    return std::string("no error");
  };
  EXPECT_EQ(error("5:relu,2"),
            "tensor '0.weight' has shape [4, 3] but the network 5:relu,2 (3 inputs) needs [5, 3]");
  EXPECT_EQ(error("4:relu,2:relu,2"),
            "tensor '4.weight' is missing (the network 4:relu,2:relu,2 (3 inputs) needs it with "
            "shape [2, 2])");
  EXPECT_EQ(error("4:relu"),
            "tensor '2.bias' (shape [2]) is not a parameter of the network "
            "4:relu (3 inputs)");
  EXPECT_EQ(error("dropout:0.1,4:relu,2"),
            "tensor '1.weight' is missing (the first Linear weight, [out, in], gives the inputs)");
  EXPECT_EQ(error("4:tanh,2"), "no error");  // activations hold no tensors: the spec is trusted
  EXPECT_THROW(load_model<float>(path, "4:swish"), SpecError);
}

TEST(ModelFile, RefusesMissingExtraMisshapedAndUnusableTensors) {
  TemporaryFolder folder;
  const std::string path = folder.file("model.safetensors");
  Sequential<float> model = make_model<float>("4:relu,2", 3);
  const ModelDescription description = with_spec("4:relu,2");
  const auto metadata = model_metadata(model, description);
  const auto error_with = [&](std::vector<TensorRecord> tensors) {
    write_bytes(path, encode_safetensors(tensors, metadata));
    return testing::error_without_folder([&] { load_model<float>(path); }, folder);
  };
  auto tensors = parameter_tensors(model);
  EXPECT_EQ(error_with(tensors), "no error");

  auto missing = tensors;
  missing.erase(missing.begin() + 1);
  EXPECT_EQ(error_with(missing),
            "model.safetensors: tensor '0.bias' is missing (the network "
            "4:relu,2 (3 inputs) needs it with shape [4])");
  auto extra = tensors;
  const std::vector<float> three{1, 2, 3};
  extra.push_back(make_tensor<float>("optimizer.exp_avg", {3}, three));
  EXPECT_EQ(error_with(extra),
            "model.safetensors: tensor 'optimizer.exp_avg' (shape [3]) is not "
            "a parameter of the network 4:relu,2 (3 inputs)");
  auto misshaped = tensors;
  misshaped[2].shape = {4, 2};
  EXPECT_EQ(error_with(misshaped),
            "model.safetensors: tensor '2.weight' has shape [4, 2] but the "
            "network 4:relu,2 (3 inputs) needs [2, 4]");
  auto integers = tensors;
  integers[1].dtype = Dtype::I32;
  EXPECT_EQ(error_with(integers),
            "model.safetensors: tensor '0.bias' has dtype I32; a parameter "
            "must be F32 or F64");
  auto not_finite = tensors;
  const std::vector<float> nan_bias{0, std::numeric_limits<float>::quiet_NaN(), 0, 0};
  not_finite[1] = make_tensor<float>("0.bias", {4}, nan_bias);
  EXPECT_EQ(error_with(not_finite), "model.safetensors: tensor '0.bias' holds nan at element 1");
  auto too_big = tensors;
  const std::vector<double> huge{1e300, 0, 0, 0};
  too_big[1] = make_tensor<double>("0.bias", {4}, huge);  // finite in F64, not as float
  EXPECT_EQ(error_with(too_big), "model.safetensors: tensor '0.bias' holds inf at element 0");
}

TEST(ModelFile, RefusesAGivenSpecThatDiffersFromTheFilesSpec) {
  TemporaryFolder folder;
  const std::string path = folder.file("model.safetensors");
  Sequential<float> model = make_model<float>("4:relu,2", 3);
  save_model(path, model, with_spec("4:relu,2"));
  EXPECT_EQ(testing::error_without_folder([&] { load_model<float>(path, "4:tanh,2"); }, folder),
            "model.safetensors: the file holds the network '4:relu,2', not '4:tanh,2'");
  EXPECT_EQ(load_model<float>(path, " 4:relu , 2").description.spec, "4:relu,2");
}

TEST(ModelFile, RefusesMetadataThatIsNotWhatItsKeyHolds) {
  TemporaryFolder folder;
  const std::string path = folder.file("model.safetensors");
  Sequential<float> model = make_model<float>("4:relu,2", 3);
  const auto tensors = parameter_tensors(model);
  const auto good = model_metadata(model, with_spec("4:relu,2"));
  const auto error_with = [&](const std::string& key, const std::string& value) {
    auto metadata = good;
    metadata[key] = value;
    write_bytes(path, encode_safetensors(tensors, metadata));
    return testing::error_without_folder([&] { load_model<float>(path); }, folder);
  };
  EXPECT_EQ(error_with("inputs", "3"), "no error");
  EXPECT_EQ(error_with("inputs", "three"),
            "model.safetensors: metadata 'inputs': expected a positive whole number, got 'three'");
  EXPECT_EQ(error_with("inputs", "0"),
            "model.safetensors: metadata 'inputs': expected a positive whole number, got '0'");
  EXPECT_EQ(error_with("inputs", "4"),
            "model.safetensors: tensor '0.weight' has shape [4, 3] but the network 4:relu,2 (4 "
            "inputs) needs [4, 4]");
  EXPECT_EQ(error_with("scratchnet", "2"),
            "model.safetensors: metadata 'scratchnet': version "
            "'2' is not one this build reads (1)");
  EXPECT_EQ(error_with("spec", "4:relu,,2"),
            "model.safetensors: metadata 'spec': layer spec entry 2 '': empty entry (two commas "
            "in a row, or a trailing comma?)");
  EXPECT_EQ(error_with("loss", "hinge"),
            "model.safetensors: metadata 'loss': unknown loss "
            "'hinge' (valid: ce, bce, mse, sse)");
  EXPECT_EQ(error_with("classes", R"(["a",1])"),
            "model.safetensors: metadata 'classes': expected a JSON list of strings");
  EXPECT_EQ(error_with("feature_names", "a,b,c"),
            "model.safetensors: metadata 'feature_names': expected a JSON list of strings");
  EXPECT_EQ(error_with("feature_names", R"(["a","b"])"),
            "model.safetensors: metadata 'feature_names': 2 names for 3 inputs");
  EXPECT_EQ(error_with("pixel_scale", "0"),
            "model.safetensors: metadata 'pixel_scale': 0 is not a positive normal number");
  EXPECT_EQ(error_with("pixel_scale", "255x"),
            "model.safetensors: metadata 'pixel_scale': expected a positive number, got '255x'");
  EXPECT_EQ(error_with("missing_values", R"({"strategy":"mean","fill":[1,2]})"),
            "model.safetensors: metadata 'missing_values': 2 fill values for 3 inputs");
  EXPECT_EQ(error_with("missing_values", R"({"strategy":"drop","fill":[1,2,3]})"),
            "model.safetensors: metadata 'missing_values': strategy 'drop' has no fill values");
  EXPECT_EQ(error_with("missing_values", R"({"strategy":"zero"})"),
            "model.safetensors: metadata 'missing_values': unknown strategy 'zero' (valid: error, "
            "drop, mean, median)");
  EXPECT_EQ(error_with("missing_values", R"({"strategy":"mean","fill":[1,2,3],"x":1})"),
            "model.safetensors: metadata 'missing_values': expected a JSON object {\"strategy\": "
            "\"drop\"|\"mean\"|\"median\", \"fill\": […]}");
  EXPECT_EQ(error_with("missing_values", R"({"strategy":"median","fill":[1,2,3]})"), "no error");
  EXPECT_EQ(error_with("normalization", R"({"mean":[0,0,0]})"),
            "model.safetensors: metadata 'normalization': expected a JSON object {\"mean\": […], "
            "\"scale\": […]}");
  EXPECT_EQ(error_with("normalization", R"({"mean":[0,0,0],"scale":[1,0,1]})"),
            "model.safetensors: metadata 'normalization': feature 1 has scale 0; a scale must be "
            "a positive normal number");
  EXPECT_EQ(error_with("normalization", R"({"mean":[0,0],"scale":[1,1]})"),
            "model.safetensors: metadata 'normalization': 2 values for 3 inputs");
  EXPECT_EQ(error_with("training", "{epochs: 3}"),
            "model.safetensors: metadata 'training': not valid JSON");
  EXPECT_EQ(error_with("loss", "ce"), "no error");
  EXPECT_EQ(error_with("classes", R"(["a","b","c"])"), "no error");
  auto metadata = good;  // a classifier's classes must match its outputs
  metadata["loss"] = "ce";
  metadata["classes"] = R"(["a","b","c"])";
  write_bytes(path, encode_safetensors(tensors, metadata));
  EXPECT_EQ(testing::error_without_folder([&] { load_model<float>(path); }, folder),
            "model.safetensors: metadata 'classes': 3 names for a classifier of 2 outputs");
}

TEST(ModelFile, RefusesAHugeNetworkBeforeBuildingIt) {
  TemporaryFolder folder;
  const std::string path = folder.file("model.safetensors");
  Sequential<float> model = make_model<float>("4:relu,2", 3);
  auto metadata = model_metadata(model, with_spec("4:relu,2"));
  metadata["spec"] = "100000000,100000000";
  metadata["inputs"] = "100000000";
  write_bytes(path, encode_safetensors(parameter_tensors(model), metadata));
  EXPECT_EQ(testing::error_without_folder([&] { load_model<float>(path); }, folder),
            "model.safetensors: tensor '0.weight' has shape [4, 3] but the network "
            "100000000,100000000 (100000000 inputs) needs [100000000, 100000000]");
  metadata["inputs"] = "9223372036854775807";
  write_bytes(path, encode_safetensors(parameter_tensors(model), metadata));
  EXPECT_EQ(testing::error_without_folder([&] { load_model<float>(path); }, folder),
            "model.safetensors: the network 100000000,100000000 (9223372036854775807 inputs) has "
            "more parameters than 64 bits can count");
}

// A JSON text nested `depth` lists deep: [[[…]]].
std::string nested_lists(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

TEST(ModelFile, RefusesMetadataJsonNestedTooDeeplyWhateverItsKey) {
  TemporaryFolder folder;
  const std::string path = folder.file("model.safetensors");
  Sequential<float> model = make_model<float>("4:relu,2", 3);
  const auto tensors = parameter_tensors(model);
  const auto good = model_metadata(model, with_spec("4:relu,2"));
  const auto error_with = [&](const std::string& key, const std::string& value) {
    auto metadata = good;
    metadata[key] = value;
    write_bytes(path, encode_safetensors(tensors, metadata));
    return testing::error_without_folder([&] { load_model<float>(path); }, folder);
  };
  // 100,000 brackets crashed `info` after 9 s and 4 GB; now every key refuses them in one pass.
  for (const char* key : {"classes", "feature_names", "normalization", "training"}) {
    EXPECT_EQ(
        error_with(key, nested_lists(100'000)),
        "model.safetensors: metadata '" + std::string(key) + "': nested deeper than 32 levels")
        << key;
  }
  EXPECT_EQ(error_with("training", nested_lists(32)), "no error");
  EXPECT_EQ(error_with("training", nested_lists(33)),
            "model.safetensors: metadata 'training': nested deeper than 32 levels");
  EXPECT_EQ(error_with("training", R"({"a":{"b":)" + nested_lists(31) + "}}"),
            "model.safetensors: metadata 'training': nested deeper than 32 levels");
}

TEST(ModelFile, RefusesMetadataJsonWithTooLongAStringOrTooManyValues) {
  TemporaryFolder folder;
  const std::string path = folder.file("model.safetensors");
  Sequential<float> model = make_model<float>("4:relu,2", 3);
  const auto tensors = parameter_tensors(model);
  auto metadata = model_metadata(model, with_spec("4:relu,2"));
  metadata["training"] = R"({"note":")" + std::string(65'536, 'x') + R"("})";
  write_bytes(path, encode_safetensors(tensors, metadata));
  EXPECT_EQ(testing::error_without_folder([&] { load_model<float>(path); }, folder), "no error");
  metadata["training"] = R"({"note":")" + std::string(65'537, 'x') + R"("})";
  write_bytes(path, encode_safetensors(tensors, metadata));
  EXPECT_EQ(testing::error_without_folder([&] { load_model<float>(path); }, folder),
            "model.safetensors: metadata 'training': a string of 65537 bytes, over the limit of "
            "65536");
  metadata = model_metadata(model, with_spec("4:relu,2"));
  metadata["classes"] = R"([")" + std::string(70'000, 'c') + R"("])";
  write_bytes(path, encode_safetensors(tensors, metadata));
  EXPECT_EQ(testing::error_without_folder([&] { load_model<float>(path); }, folder),
            "model.safetensors: metadata 'classes': a string of 70000 bytes, over the limit of "
            "65536");

  std::string many = "[0";
  for (int i = 1; i < 4'000'000; ++i)
    many += ",0";
  metadata = model_metadata(model, with_spec("4:relu,2"));
  metadata["training"] = many + "]";  // the list and its 4,000,000 items: one value too many
  write_bytes(path, encode_safetensors(tensors, metadata));
  EXPECT_EQ(testing::error_without_folder([&] { load_model<float>(path); }, folder),
            "model.safetensors: metadata 'training': holds more than 4000000 values");
}

TEST(ModelFile, TheJsonBoundsCanBeCheckedAndChosen) {
  EXPECT_EQ(metadata_json_problem(R"({"epochs":3})"), "");
  EXPECT_EQ(metadata_json_problem("{epochs: 3}"), "not valid JSON");
  EXPECT_EQ(metadata_json_problem(nested_lists(40)), "nested deeper than 32 levels");
  MetadataJsonLimits small;
  small.max_depth = 2;
  small.max_string_bytes = 3;
  small.max_values = 4;
  EXPECT_EQ(metadata_json_problem("[[1]]", small), "");
  EXPECT_EQ(metadata_json_problem("[[[1]]]", small), "nested deeper than 2 levels");
  EXPECT_EQ(metadata_json_problem(R"(["abcd"])", small),
            "a string of 4 bytes, over the limit of 3");
  EXPECT_EQ(metadata_json_problem(R"({"abcd":1})", small),
            "a string of 4 bytes, over the limit of 3");
  EXPECT_EQ(metadata_json_problem("[1,2,3]", small), "");
  EXPECT_EQ(metadata_json_problem("[1,2,3,4]", small), "holds more than 4 values");
  const nlohmann::json parsed = parse_metadata_json(R"({"a":[1,"b"]})", "m.safetensors", "k");
  EXPECT_EQ(parsed, nlohmann::json::parse(R"({"a":[1,"b"]})"));
  EXPECT_EQ(testing::error_without_folder([] { parse_metadata_json("[", "m.safetensors", "k"); },
                                          TemporaryFolder()),
            "m.safetensors: metadata 'k': not valid JSON");
  EXPECT_EQ(testing::error_without_folder(
                [] { parse_metadata_json("[", "m.safetensors", "k", "expected a list"); },
                TemporaryFolder()),
            "m.safetensors: metadata 'k': expected a list");
  EXPECT_EQ(
      testing::error_without_folder(
          [&] { parse_metadata_json("[[[", "m.safetensors", "k", "", small); }, TemporaryFolder()),
      "m.safetensors: metadata 'k': nested deeper than 2 levels");
}

TEST(ModelFile, RefusesScalesThatAreNotPositiveNormalNumbers) {
  TemporaryFolder folder;
  const std::string path = folder.file("model.safetensors");
  Sequential<float> model = make_model<float>("4:relu,2", 3);
  const auto tensors = parameter_tensors(model);
  const auto error_with = [&](const std::string& scale) {
    auto metadata = model_metadata(model, with_spec("4:relu,2"));
    metadata["normalization"] = R"({"mean":[0,0,0],"scale":[1,)" + scale + ",1]}";
    write_bytes(path, encode_safetensors(tensors, metadata));
    return testing::error_without_folder([&] { load_model<float>(path); }, folder);
  };
  EXPECT_EQ(error_with("2.2250738585072014e-308"), "no error");  // the smallest normal double
  EXPECT_EQ(error_with("1e300"), "no error");
  for (const auto& [scale, shown] : std::vector<std::pair<std::string, std::string>>{
           {"-1", "-1"}, {"1e-320", "1e-320"}, {"-0.0", "-0"}, {"0", "0"}}) {
    EXPECT_EQ(error_with(scale),
              "model.safetensors: metadata 'normalization': feature 1 has scale " + shown +
                  "; a scale must be a positive normal number")
        << scale;
  }
  ModelDescription description;
  description.mean = {0, 0, 0};
  description.scale = {1, -2, 1};
  EXPECT_EQ(testing::error_without_folder([&] { save_model(path, model, description); }, folder),
            "model.safetensors: cannot save: model description: 'normalization': feature 1 has "
            "scale -2; a scale must be a positive normal number");
}

TEST(ModelFile, RefusesALossThatDoesNotFitTheOutputsOrClasses) {
  TemporaryFolder folder;
  const std::string path = folder.file("model.safetensors");
  const auto error_with = [&](const std::string& spec, const std::string& loss,
                              const std::string& classes) {
    Sequential<float> model = make_model<float>(spec, 3);
    auto metadata = model_metadata(model, with_spec(spec));
    metadata["loss"] = loss;
    metadata["classes"] = classes;
    write_bytes(path, encode_safetensors(parameter_tensors(model), metadata));
    return testing::error_without_folder([&] { load_model<float>(path); }, folder);
  };
  // A 3-output model saying bce read a third "probability" from memory never written.
  EXPECT_EQ(error_with("4:relu,3", "bce", "[]"),
            "model.safetensors: metadata 'loss': bce needs exactly 1 output, but the network has "
            "3 outputs");
  EXPECT_EQ(error_with("4:relu,2", "mse", "[]"),
            "model.safetensors: metadata 'loss': mse needs exactly 1 output, but the network has "
            "2 outputs");
  EXPECT_EQ(error_with("4:relu,2", "sse", "[]"),
            "model.safetensors: metadata 'loss': sse needs exactly 1 output, but the network has "
            "2 outputs");
  EXPECT_EQ(error_with("4:relu,1", "ce", "[]"),
            "model.safetensors: metadata 'loss': ce needs at least 2 outputs (one per class), but "
            "the network has 1 output");
  EXPECT_EQ(error_with("4:relu,1", "bce", R"(["no","yes","maybe"])"),
            "model.safetensors: metadata 'loss': bce tells 2 classes apart, but 3 are stored");
  EXPECT_EQ(error_with("4:relu,1", "bce", R"(["no","yes"])"), "no error");
  EXPECT_EQ(error_with("4:relu,1", "mse", "[]"), "no error");
  EXPECT_EQ(error_with("4:relu,3", "ce", R"(["a","b","c"])"), "no error");
  EXPECT_EQ(error_with("4:relu,3", "", "[]"), "no error");  // no loss stored: the user says

  EXPECT_EQ(loss_fit_problem("ce", 3, 0), "");
  EXPECT_EQ(loss_fit_problem("ce", 3, 4),
            "ce needs one output per class, but the network has 3 outputs for 4 classes");
  EXPECT_EQ(loss_fit_problem("hinge", 1, 0), "unknown loss 'hinge' (valid: ce, bce, mse, sse)");
}

TEST(ModelFile, LoadsThirtyThousandTensors) {
  // 15,000 Dense layers of one unit: 30,000 tensors. Matching them against the network was
  // quadratic (57 s at 36,000 layers); each is now looked up once through an index.
  TemporaryFolder folder;
  const std::string path = folder.file("model.safetensors");
  std::string spec = "1";
  for (int i = 1; i < 15'000; ++i)
    spec += ",1";
  Sequential<double> model = make_model<double>(spec, 1);
  save_model(path, model, with_spec(spec));
  LoadedModel<double> loaded = load_model<double>(path);
  ASSERT_EQ(loaded.network.named_parameters().size(), 30'000u);
  for (Index i = 0; i < model.parameters().size(); ++i)
    ASSERT_EQ(loaded.network.parameters()[i], model.parameters()[i]) << "parameter " << i;
}

TEST(ModelFile, QuotesControlCharactersFromTheFileEscapedAndWhole) {
  TemporaryFolder folder;
  const std::string path = folder.file("model.safetensors");
  Sequential<float> model = make_model<float>("4:relu,2", 3);
  auto metadata = model_metadata(model, with_spec("4:relu,2"));
  // what() of a message holding a NUL ends there; and ESC, CR or CSI must not reach a terminal.
  metadata["loss"] = std::string("x\0\x1b[2J\r\xc2\x9b", 9) + "tail";
  write_bytes(path, encode_safetensors(parameter_tensors(model), metadata));
  EXPECT_EQ(testing::error_without_folder([&] { load_model<float>(path); }, folder),
            "model.safetensors: metadata 'loss': unknown loss 'x\\x00\\x1b[2J\\r\\u009btail' "
            "(valid: ce, bce, mse, sse)");
}

TEST(ModelFile, RefusesToSaveNonFiniteWeightsAndLeavesTheFileAlone) {
  TemporaryFolder folder;
  const std::string path = folder.file("model.safetensors");
  write_bytes(path, "the old model");
  Sequential<double> model = make_model<double>("4:relu,2", 3);
  model.parameters()[13] = std::numeric_limits<double>::quiet_NaN();  // 0.weight is 12 values
  EXPECT_EQ(testing::error_without_folder([&] { save_model(path, model, {}); }, folder),
            "model.safetensors: cannot save: parameter '0.bias' holds nan at element 1");
  model.parameters()[13] = -std::numeric_limits<double>::infinity();
  EXPECT_THROW(save_model(path, model, {}), std::invalid_argument);
  EXPECT_EQ(read_bytes(path), "the old model");
  EXPECT_EQ(names_in(folder.path()), std::vector<std::string>{"model.safetensors"});
}

// A model built through the C++ API, with layers no spec wrote before (a Linear without bias,
// an activation after dropout), saves its own spec and loads back as the same model.
template <typename T>
void expect_cxx_model_round_trip(Sequential<T> model, const std::string& spec) {
  TemporaryFolder folder;
  const std::string path = folder.file("model.safetensors");
  save_model(path, model, ModelDescription{});
  EXPECT_EQ(read_safetensors(path).metadata.at("spec"), spec);
  LoadedModel<T> loaded = load_model<T>(path);
  EXPECT_EQ(loaded.description.spec, spec);
  ASSERT_EQ(loaded.network.size(), model.size());
  for (std::size_t i = 0; i < model.size(); ++i)
    EXPECT_EQ(loaded.network.layer(i).describe(), model.layer(i).describe()) << i;
  ASSERT_EQ(loaded.network.parameters().size(), model.parameters().size());
  for (Index i = 0; i < model.parameters().size(); ++i)
    ASSERT_EQ(loaded.network.parameters()[i], model.parameters()[i]) << "parameter " << i;
  Matrix<T> x(3, model.inputs());
  for (Index i = 0; i < x.size(); ++i)
    x.data()[i] = T(0.25) * T(i % 7) - T(0.5);
  const Matrix<T> expected = model.forward(x);
  EXPECT_EQ(Matrix<T>(loaded.network.forward(x)), expected);
}

TEST(ModelFile, AnyModelBuiltInCxxSavesItsOwnSpecAndLoadsBackTheSame) {
  Random random(3);
  expect_cxx_model_round_trip(make_xor_network(4, random), "4:nobias:sigmoid,1:nobias:sigmoid");

  Sequential<float> model(/*inputs=*/3);
  model.emplace<Dropout<float>>(0.25);
  model.emplace<Tanh<float>>();
  model.emplace<Dense<float>>(3, 5, Bias::none);
  model.emplace<LeakyReLU<float>>(0.3f);
  model.emplace<Dense<float>>(5, 2);
  model.emplace<Sigmoid<float>>();
  model.emplace<Sigmoid<float>>();
  initialize(model, Initializer::torch_default, random);
  expect_cxx_model_round_trip(std::move(model),
                              "dropout:0.25,tanh,5:nobias:leaky_relu=0.3,2:sigmoid,sigmoid");
}

// A layer of a kind the table of layer kinds does not have cannot be rebuilt from a file.
class Unregistered final : public Layer<float> {
 public:
  LayerDescription describe() const override { return {"Unregistered", {}}; }
  ConstMatrixView<float> forward(ConstMatrixView<float> input) override { return input; }
  ConstMatrixView<float> backward(ConstMatrixView<float> doutput) override { return doutput; }
};

TEST(ModelFile, RefusesToSaveALayerThatCouldNotBeRebuilt) {
  TemporaryFolder folder;
  const std::string path = folder.file("model.safetensors");
  Sequential<float> model(/*inputs=*/2);
  model.emplace<Dense<float>>(2, 2);
  model.emplace<Unregistered>();
  EXPECT_EQ(testing::error_without_folder([&] { save_model(path, model, {}); }, folder),
            "model.safetensors: cannot save: layer kind Unregistered has no layer spec entry "
            "(register_layer_kind)");
  EXPECT_FALSE(fs::exists(path));
}

TEST(ModelFile, RefusesADescriptionThatDoesNotFitTheModel) {
  TemporaryFolder folder;
  const std::string path = folder.file("model.safetensors");
  Sequential<float> model = make_model<float>("4:relu,2", 3);
  const auto error = [&](const ModelDescription& description) {
    return testing::error_without_folder([&] { save_model(path, model, description); }, folder);
  };
  ModelDescription description = with_spec("4:tanh,2");
  EXPECT_EQ(error(description),
            "model.safetensors: cannot save: model description: spec '4:tanh,2' on 3 inputs "
            "builds other layers than the model has");
  description = with_spec("4:relu,2");
  description.inputs = 5;
  EXPECT_EQ(error(description),
            "model.safetensors: cannot save: model description: 5 inputs but the model takes 3");
  description = {};
  description.loss = "nll";
  EXPECT_EQ(error(description),
            "model.safetensors: cannot save: model description: 'loss': "
            "unknown loss 'nll' (valid: ce, bce, mse, sse)");
  description = {};
  description.mean = {0, 0, 0};
  description.scale = {1, 1};
  EXPECT_EQ(error(description),
            "model.safetensors: cannot save: model description: 'normalization': 3 means but 2 "
            "scales");
  description = {};
  description.training_json = "epochs=3";
  EXPECT_EQ(error(description),
            "model.safetensors: cannot save: model description: 'training': not valid JSON");
  EXPECT_FALSE(fs::exists(path));
}

TEST(AtomicFile, ReplacesTheFileAndLeavesNoTemporary) {
  TemporaryFolder folder;
  const std::string path = folder.file("out.safetensors");
  write_file_atomically(path, "first");
  EXPECT_EQ(read_bytes(path), "first");
  write_file_atomically(path, std::string("second\0bytes", 12));
  EXPECT_EQ(read_bytes(path), std::string("second\0bytes", 12));
  EXPECT_EQ(names_in(folder.path()), std::vector<std::string>{"out.safetensors"});
}

// What a process killed mid-write leaves is cleared later; a running writer's is not.
TEST(AtomicFile, RemovesOnlyTheTemporariesOfProcessesThatAreGone) {
  const TemporaryFolder folder;
  const pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  ASSERT_GT(child, 0);
  ASSERT_EQ(::waitpid(child, nullptr, 0), child);  // its PID now names no process
  const std::string gone = std::to_string(child), alive = std::to_string(::getpid());
  const std::vector<std::string> names = {
      ".model.safetensors.scratchnet-tmp-" + gone + "-0",   // a killed writer's: removed
      ".model.safetensors.scratchnet-tmp-" + alive + "-3",  // a running writer's: kept
      "model.safetensors.scratchnet-tmp-" + gone + "-1",    // not a temporary's name: kept
      ".model.safetensors.scratchnet-tmp-x" + gone + "-1",  // nor this
      ".model.safetensors.tmp-" + gone + "-1",              // nor someone else's temporary
      "model.safetensors"};
  for (const std::string& name : names)
    write_bytes(folder.file(name), "x");
  EXPECT_EQ(files::remove_stale_temporaries(folder.path()), 1);
  EXPECT_EQ(names_in(folder.path()).size(), names.size() - 1);
  EXPECT_FALSE(std::filesystem::exists(folder.file(names[0])));
}

TEST(AtomicFile, SaysWhenTheFolderIsMissing) {
  TemporaryFolder folder;
  const std::string path = folder.file("missing/out.safetensors");
  EXPECT_EQ(testing::error_without_folder([&] { write_file_atomically(path, "x"); }, folder),
            "missing/out.safetensors: cannot write: No such file or directory");
  EXPECT_TRUE(names_in(folder.path()).empty());
  EXPECT_EQ(
      testing::error_without_folder([&] { write_file_atomically(folder.path(), "x"); }, folder),
      folder.path() + ": cannot write: a folder, not a regular file");
  EXPECT_TRUE(names_in(folder.path()).empty());
}

// Runs `body` in a child process (so that it may drop privileges, unshare namespaces or lower
// limits); returns its exit code and what it wrote to the descriptor it is given.
std::pair<int, std::string> in_child(const std::function<int(int)>& body) {
  int pipe_ends[2];
  if (::pipe(pipe_ends) != 0) return {-1, "pipe failed"};
  const pid_t child = ::fork();
  if (child == 0) {
    ::close(pipe_ends[0]);
    ::_exit(body(pipe_ends[1]));
  }
  ::close(pipe_ends[1]);
  std::string output;
  char buffer[512];
  for (ssize_t got; (got = ::read(pipe_ends[0], buffer, sizeof buffer)) > 0;)
    output.append(buffer, got);
  ::close(pipe_ends[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

constexpr int kSkip = 77;

void send(int fd, const std::string& text) {
  if (::write(fd, text.data(), text.size()) < 0) ::_exit(2);
}

// What writing `size` bytes atomically to `path` throws, sent to `fd`; 0 if it threw.
int send_write_error(int fd, const std::string& path, std::size_t size) {
  try {
    write_file_atomically(path, std::string(size, 'n'));
  } catch (const std::runtime_error& error) {
    send(fd, error.what());
    return 0;
  }
  send(fd, "no error");
  return 1;
}

TEST(AtomicFile, LeavesTheOldFileWhenTheFolderIsNotWritable) {
  TemporaryFolder folder;
  const fs::path locked = fs::path(folder.path()) / "locked";
  fs::create_directory(locked);
  const std::string path = (locked / "model.safetensors").string();
  write_bytes(path, "old");
  fs::permissions(folder.path(), fs::perms::owner_all | fs::perms::others_exec);
  fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::others_read |
                              fs::perms::others_exec);
  const auto [code, message] = in_child([&](int fd) {
    // root writes anywhere: become nobody first.
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) return kSkip;
    if (::access(locked.c_str(), W_OK) == 0) return kSkip;
    return send_write_error(fd, path, 100);
  });
  if (code == kSkip) GTEST_SKIP() << "cannot make a folder unwritable here";
  EXPECT_EQ(code, 0);
  EXPECT_EQ(message, path + ": cannot write: Permission denied");
  EXPECT_EQ(read_bytes(path), "old");
  EXPECT_EQ(names_in(locked), std::vector<std::string>{"model.safetensors"});
}

TEST(AtomicFile, LeavesTheOldFileWhenTheFileSizeLimitIsHit) {
  TemporaryFolder folder;
  const std::string path = folder.file("model.safetensors");
  write_bytes(path, "old");
  const auto [code, message] = in_child([&](int fd) {
    ::signal(SIGXFSZ, SIG_IGN);  // a write past the limit then fails with EFBIG
    const rlimit limit{1000, 1000};
    if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) return kSkip;
    return send_write_error(fd, path, 4000);
  });
  if (code == kSkip) GTEST_SKIP() << "cannot limit file sizes here";
  EXPECT_EQ(code, 0);
  EXPECT_EQ(message, path + ": cannot write: File too large");
  EXPECT_EQ(read_bytes(path), "old");
  EXPECT_EQ(names_in(folder.path()), std::vector<std::string>{"model.safetensors"});
}

// A full disk for real: a 64 KiB tmpfs, mounted in the child's own user and mount namespaces
// (no privileges needed where unprivileged user namespaces are allowed; skipped elsewhere).
TEST(AtomicFile, LeavesTheOldFileWhenTheDiskIsFull) {
  TemporaryFolder folder;
  const std::string mount_point = folder.file("tmpfs");
  fs::create_directory(mount_point);
  const std::string path = mount_point + "/model.safetensors";
  const auto [code, message] = in_child([&](int fd) {
    const uid_t uid = ::getuid();
    const gid_t gid = ::getgid();
    if (::unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) return kSkip;
    const auto write_proc = [](const char* file, const std::string& text) {
      std::ofstream(file) << text;
    };
    write_proc("/proc/self/setgroups", "deny");
    write_proc("/proc/self/uid_map", "0 " + std::to_string(uid) + " 1");
    write_proc("/proc/self/gid_map", "0 " + std::to_string(gid) + " 1");
    if (::mount("tmpfs", mount_point.c_str(), "tmpfs", 0, "size=64k") != 0) return kSkip;
    // Everything is checked in here: the tmpfs goes away with the child.
    write_file_atomically(path, "old");
    if (send_write_error(fd, path, 1 << 20) != 0) return 1;
    send(fd, "|" + read_bytes(path));
    for (const auto& entry : fs::directory_iterator(mount_point))
      send(fd, "|" + entry.path().filename().string());
    return 0;
  });
  if (code == kSkip) GTEST_SKIP() << "cannot mount a tmpfs here";
  EXPECT_EQ(code, 0);
  EXPECT_EQ(message, path + ": cannot write: No space left on device|old|model.safetensors");
}

}  // namespace
}  // namespace scratchnet::io
