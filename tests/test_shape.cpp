// A sample's shape, from the data through the layers and the model to its file: images keep
// [channels, height, width] while a batch stays a row-major [batch, C·H·W] matrix.
#include <gtest/gtest.h>

#include <filesystem>
#include <limits>
#include <stdexcept>
#include <string>

#include "scratchnet/data/dataset.hpp"
#include "scratchnet/data/image_dataset.hpp"
#include "scratchnet/io/model_file.hpp"
#include "scratchnet/io/safetensors.hpp"
#include "scratchnet/layers/dense.hpp"
#include "scratchnet/layers/relu.hpp"
#include "scratchnet/layers/tanh.hpp"
#include "scratchnet/model/layer_spec.hpp"
#include "scratchnet/model/sequential.hpp"
#include "temporary_folder.hpp"

namespace scratchnet {
namespace {

using testing::TemporaryFolder;

TEST(Shape, CountsItsElementsAndPrintsAsTorchDoes) {
  const Shape image{1, 28, 28};
  EXPECT_EQ(image.rank(), 3u);
  EXPECT_EQ(image.elements(), 784);
  EXPECT_FALSE(image.is_flat());
  EXPECT_EQ(image.text(), "[1, 28, 28]");
  EXPECT_EQ(image[2], 28);

  const Shape features = 784;
  EXPECT_TRUE(features.is_flat());
  EXPECT_EQ(features, Shape({784}));
  EXPECT_NE(features, image);
  EXPECT_EQ(features.text(), "[784]");
}

TEST(Shape, RefusesNoDimensionsAnEmptyOneAndAnOverflow) {
  EXPECT_THROW(Shape(std::vector<Index>{}), std::invalid_argument);
  EXPECT_THROW(Shape({3, 0, 2}), std::invalid_argument);
  EXPECT_THROW(Shape(-1), std::invalid_argument);
  const Index big = Index(1) << 32;
  EXPECT_THROW(Shape({big, big}), std::invalid_argument);
  EXPECT_NO_THROW(Shape({big, big / 4}));
}

TEST(SequentialShape, ElementWiseLayersKeepAnImageAndDenseRefusesIt) {
  Sequential<float> model({1, 2, 3});
  EXPECT_EQ(model.inputs(), 6);
  model.emplace<ReLU<float>>();
  EXPECT_EQ(model.output_shape(), Shape({1, 2, 3}));
  EXPECT_EQ(model.outputs(), 6);
  try {
    model.emplace<Dense<float>>(6, 4);
    FAIL() << "a Dense layer took an image";
  } catch (const std::invalid_argument& error) {
    EXPECT_STREQ(error.what(),
                 "Dense layer takes flat samples of 6 features, got samples of "
                 "shape [1, 2, 3]");
  }
  EXPECT_EQ(model.size(), 1u);  // the refused layer was not added

  // A batch of two images is [2, 6], NCHW; ReLU works on it element by element.
  Matrix<float> batch(2, 6);
  batch << -1, 2, -3, 4, -5, 6, 7, -8, 9, -10, 11, -12;
  const Matrix<float> output = model.forward(batch);
  EXPECT_EQ(output, batch.cwiseMax(0.0f));
}

TEST(SequentialShape, AFlatModelIsANumberOfFeatures) {
  Sequential<double> model(4);
  EXPECT_EQ(model.input_shape(), Shape(4));
  model.emplace<Dense<double>>(4, 3);
  EXPECT_EQ(model.output_shape(), Shape(3));
  EXPECT_THROW(Sequential<double>(0), std::invalid_argument);
}

TEST(SequentialShape, ASpecBuildsOnAShape) {
  EXPECT_EQ(build_model<float>(parse_layer_spec("tanh,relu"), Shape{2, 2, 2}).output_shape(),
            Shape({2, 2, 2}));
  EXPECT_THROW(build_model<float>(parse_layer_spec("relu,4"), Shape{2, 2, 2}),
               std::invalid_argument);
  EXPECT_THROW(build_model<float>(parse_layer_spec("softmax"), Shape{2, 2, 2}),
               std::invalid_argument);
}

// A model that takes images writes its shape into the file and comes back with it; a flat one
// writes no shape, so the files of every network a spec can build keep their bytes.
TEST(ModelFileShape, AnImageModelSavesAndLoadsItsInputShape) {
  const TemporaryFolder folder;
  Sequential<double> model({1, 2, 2});
  model.emplace<Tanh<double>>();
  io::save_model(folder.file("image.safetensors"), model, {});
  const io::SafetensorsFile file = io::read_safetensors(folder.file("image.safetensors"));
  EXPECT_EQ(file.metadata.at("input_shape"), "[1,2,2]");
  EXPECT_EQ(file.metadata.at("inputs"), "4");

  const io::LoadedModel<double> loaded = io::load_model<double>(folder.file("image.safetensors"));
  EXPECT_EQ(loaded.network.input_shape(), Shape({1, 2, 2}));
  EXPECT_EQ(loaded.description.input_shape, (std::vector<Index>{1, 2, 2}));

  Sequential<double> flat(4);
  flat.emplace<Dense<double>>(4, 2);
  io::save_model(folder.file("flat.safetensors"), flat, {});
  EXPECT_EQ(io::read_safetensors(folder.file("flat.safetensors")).metadata.count("input_shape"),
            0u);
  EXPECT_TRUE(io::load_model<double>(folder.file("flat.safetensors")).network.input_shape() ==
              Shape(4));
}

TEST(ModelFileShape, AShapeThatDoesNotHoldTheInputsIsRefused) {
  const TemporaryFolder folder;
  Sequential<double> model({1, 2, 2});
  model.emplace<Tanh<double>>();
  const std::string path = folder.file("m.safetensors");
  auto metadata = io::model_metadata(model, {});
  const std::vector<io::TensorRecord> tensors = io::parameter_tensors(model);
  for (const std::string shape :
       {"[3,3]", "[0,4]", "[1,1,1,1,4]", "[\"4\"]", "[]", "{}", "[4.5]", "[-1,-4]", "[2,2,2]"}) {
    metadata["input_shape"] = shape;
    testing::write_bytes(path, io::encode_safetensors(tensors, metadata));
    try {
      (void)io::load_model<double>(path);
      ADD_FAILURE() << shape << " was accepted";
    } catch (const io::FormatError& error) {
      EXPECT_NE(std::string(error.what()).find("'input_shape'"), std::string::npos) << error.what();
    }
  }
  // A flat shape is the same model as none.
  metadata["input_shape"] = "[4]";
  testing::write_bytes(path, io::encode_safetensors(tensors, metadata));
  EXPECT_EQ(io::load_model<double>(path).network.input_shape(), Shape(4));
}

TEST(ModelFileShape, ADescriptionOfAnotherShapeIsNotSaved) {
  const TemporaryFolder folder;
  Sequential<double> model({1, 2, 2});
  model.emplace<Tanh<double>>();
  io::ModelDescription description;
  description.input_shape = {2, 2};
  EXPECT_THROW(io::save_model(folder.file("m.safetensors"), model, description),
               std::invalid_argument);
  EXPECT_FALSE(std::filesystem::exists(folder.file("m.safetensors")));
}

TEST(DatasetShape, ImagesAreOneChannelAndTablesFlatUnlessTold) {
  data::LabelledImages images{
      2, 6, {0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110}, {1, 0}, {2, 3}};
  const data::ImageDataset<float> image_data(images);
  EXPECT_EQ(image_data.sample_shape(), Shape({1, 2, 3}));
  EXPECT_EQ(Subset<float>(image_data, {1}).sample_shape(), Shape({1, 2, 3}));

  images.image_dims = {3, 2, 1};  // already [C, H, W]: kept
  EXPECT_EQ(images.sample_shape(), Shape({3, 2, 1}));
  images.image_dims = {};  // unknown: flat
  EXPECT_EQ(images.sample_shape(), Shape(6));
  images.image_dims = {2, 2};
  EXPECT_THROW(data::ImageDataset<float>{images}, std::invalid_argument);

  const Matrix<float> features = Matrix<float>::Zero(2, 4), targets = Matrix<float>::Zero(2, 1);
  EXPECT_EQ(InMemoryDataset<float>(features, targets).sample_shape(), Shape(4));
  EXPECT_EQ(InMemoryDataset<float>(features, targets, Shape{1, 2, 2}).sample_shape(),
            Shape({1, 2, 2}));
  EXPECT_THROW(InMemoryDataset<float>(features, targets, Shape{1, 3, 3}), std::invalid_argument);
}

}  // namespace
}  // namespace scratchnet
