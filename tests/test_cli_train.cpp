// The command line's real work, end to end as a user runs it: train on a CSV file, then eval,
// predict and info on the model it saved; resume bit for bit; logs and reports; and the clear
// one-line errors for bad files.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_runner.hpp"
#include "scratchnet/io/safetensors.hpp"
#include "temporary_folder.hpp"

namespace scratchnet {
namespace {

using testing::fresh_folder;
using testing::lines;
using testing::read_bytes;
using testing::run_cli;
using testing::write_bytes;

// Three classes of flowers by two measurements, with text labels, a quoted field and CRLF: the
// class is decided by which measurement is larger, with a margin, so a small net learns it.
std::string flowers_csv(int rows, bool with_label = true) {
  std::ostringstream text;
  text << "\"petal, length\",width" << (with_label ? ",species" : "") << "\r\n";
  for (int i = 0; i < rows; ++i) {
    const double a = (i * 37 % 100) / 10.0, b = (i * 61 % 100) / 10.0;
    const char* species = a > b + 1 ? "setosa" : (b > a + 1 ? "virginica" : "versicolor");
    text << a << "," << b;
    if (with_label) text << "," << species;
    text << "\r\n";
  }
  return text.str();
}

struct Workspace {
  std::string folder = fresh_folder("train");
  std::string data = folder + "/flowers.csv";
  std::string model = folder + "/model.safetensors";
  Workspace() { write_bytes(data, flowers_csv(150)); }
};

TEST(CliTrain, TrainsEvaluatesPredictsAndDescribes) {
  Workspace w;
  const auto trained = run_cli({"train", "--data", w.data, "--layers", "16:relu,3", "--epochs",
                                "60", "--lr", "0.01", "--quiet", "--out", w.model});
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  ASSERT_TRUE(std::filesystem::exists(w.model));

  const auto evaluated = run_cli({"eval", w.model, w.data, "--json"});
  ASSERT_EQ(evaluated.exit_code, 0) << evaluated.err;
  const nlohmann::json metrics = nlohmann::json::parse(evaluated.out);
  EXPECT_GT(metrics["accuracy"].get<double>(), 0.8);
  EXPECT_TRUE(metrics.contains("loss"));
  ASSERT_EQ(metrics["confusion"].size(), 3u);
  EXPECT_EQ(metrics["classes"], nlohmann::json({"setosa", "versicolor", "virginica"}));

  const auto predicted = run_cli({"predict", w.model, w.data});
  ASSERT_EQ(predicted.exit_code, 0) << predicted.err;
  const auto rows = lines(predicted.out);
  ASSERT_EQ(rows.size(), 151u);
  EXPECT_EQ(rows[0], "prediction,setosa,versicolor,virginica");
  double sum = 0;
  std::istringstream cells(rows[1]);
  std::string cell;
  std::getline(cells, cell, ',');
  EXPECT_TRUE(cell == "setosa" || cell == "versicolor" || cell == "virginica");
  while (std::getline(cells, cell, ','))
    sum += std::stod(cell);
  // Each probability is written with a float32 model's digits, rounded by up to 2^-25 of itself.
  EXPECT_NEAR(sum, 1.0, 1e-7);

  // The label column is optional: the same rows without it predict the same.
  write_bytes(w.folder + "/unlabelled.csv", flowers_csv(150, /*with_label=*/false));
  const auto unlabelled = run_cli({"predict", w.model, w.folder + "/unlabelled.csv"});
  ASSERT_EQ(unlabelled.exit_code, 0) << unlabelled.err;
  EXPECT_EQ(unlabelled.out, predicted.out);

  const auto info = run_cli({"info", w.model});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_NE(info.out.find(", 99 parameters\n"), std::string::npos) << info.out;  // 2·16+16 + 16·3+3
  EXPECT_NE(info.out.find("setosa, versicolor, virginica"), std::string::npos);
  EXPECT_NE(info.out.find("standardisation of the 2 features"), std::string::npos);
}

// --input-shape gives a CSV row's sample shape. A spec of dense layers takes the row flat, so
// the model is the one trained without it, byte for byte; a shape that does not hold the row,
// or one given for images, is refused naming the flag.
TEST(CliTrain, InputShapeIsCheckedAndDenseLayersSeeTheRowFlat) {
  Workspace w;
  write_bytes(w.data, "a,b,c,d,label\n1,2,3,4,x\n4,3,2,1,y\n2,2,3,1,x\n0,1,0,1,y\n");
  const std::vector<std::string> train = {"train",       "--data",   w.data, "--layers",
                                          "3:relu,2",    "--epochs", "2",    "--quiet",
                                          "--val-split", "0"};
  auto flat = train, shaped = train;
  flat.insert(flat.end(), {"--out", w.folder + "/flat.safetensors"});
  shaped.insert(shaped.end(), {"--out", w.model, "--input-shape", "1,2,2"});
  ASSERT_EQ(run_cli(flat).exit_code, 0);
  const auto result = run_cli(shaped);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(read_bytes(w.model), read_bytes(w.folder + "/flat.safetensors"));

  const auto refused = [&](const std::string& shape, const std::string& message) {
    auto arguments = train;
    arguments.insert(arguments.end(), {"--input-shape", shape});
    const auto refusal = run_cli(arguments);
    EXPECT_EQ(refusal.exit_code, 2) << shape;
    EXPECT_EQ(lines(refusal.err).at(0), "scratchnet: error: --input-shape: " + message);
  };
  refused("1,3,2",
          "'1,3,2' is 6 values per sample, but the rows of " + w.data + " have 4 features");
  refused("1,,4", "expected whole numbers joined by commas, as in 1,28,28, got '1,,4'");
  refused("2,x", "expected whole numbers joined by commas, as in 1,28,28, got '2,x'");
  refused("0,4", "'0' is out of range 1..2147483647");
  refused("1,1,1,2,2", "at most 4 dimensions, got '1,1,1,2,2'");
  const auto images = run_cli({"train", "--data", "fashion-mnist", "--input-shape", "784"});
  EXPECT_EQ(images.exit_code, 2);
  EXPECT_EQ(lines(images.err).at(0),
            "scratchnet: error: --input-shape: is for CSV data; IDX images carry their own shape");
}

// 4×4 images in a CSV, a bright left or right half: a small convolutional network learns them
// from --input-shape, and the model file carries the shape to eval, predict and info.
TEST(CliTrain, ConvolutionalNetworkOnACsvOfImages) {
  Workspace w;
  std::ostringstream csv;
  for (int p = 0; p < 16; ++p)
    csv << "p" << p << ",";
  csv << "side\n";
  for (int row = 0; row < 80; ++row) {
    const bool left = row % 2 == 0;
    for (int p = 0; p < 16; ++p)
      csv << (((p % 4 < 2) == left) ? 200 + (row * 7 + p) % 50 : (row * 13 + p) % 60) << ",";
    csv << (left ? "left" : "right") << "\n";
  }
  write_bytes(w.data, csv.str());
  const std::string spec = "conv:3:3:padding=1:relu,maxpool:2,flatten,2";
  const auto trained = run_cli({"train", "--data", w.data, "--input-shape", "1,4,4", "--layers",
                                spec, "--epochs", "40", "--lr", "0.01", "--quiet", "--out", w.model,
                                "--report", w.folder + "/report.html"});
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  const auto evaluated = run_cli({"eval", w.model, w.data, "--json"});
  ASSERT_EQ(evaluated.exit_code, 0) << evaluated.err;
  EXPECT_GT(nlohmann::json::parse(evaluated.out)["accuracy"].get<double>(), 0.95);
  const auto predicted = run_cli({"predict", w.model, w.data});
  ASSERT_EQ(predicted.exit_code, 0) << predicted.err;
  EXPECT_EQ(lines(predicted.out).size(), 81u);  // a header and a line per row
  const auto info = run_cli({"info", w.model});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_NE(info.out.find("[3, 4, 4]"), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("[3, 2, 2]"), std::string::npos) << info.out;
  // Each layer as short as torch's defaults allow, with its output shape and parameter count.
  EXPECT_NE(info.out.find("0  Conv2d(1, 3, kernel_size=3, padding=1)  [3, 4, 4]             30"),
            std::string::npos)
      << info.out;
  EXPECT_NE(info.out.find("2  MaxPool2d(2) "), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("3  Flatten() "), std::string::npos) << info.out;
  EXPECT_NE(info.out.find("spec: " + spec), std::string::npos) << info.out;
  const std::string report = read_bytes(w.folder + "/report.html");
  EXPECT_NE(report.find("<section id=\"filters\">"), std::string::npos);

  // A spec that cannot take the data's samples is refused before training, naming the flag.
  const auto refused = [&](const std::vector<std::string>& flags, const std::string& message) {
    std::vector<std::string> arguments = {"train", "--data", w.data, "--epochs", "1"};
    arguments.insert(arguments.end(), flags.begin(), flags.end());
    const auto refusal = run_cli(arguments);
    EXPECT_EQ(refusal.exit_code, 2) << refusal.err;
    EXPECT_EQ(lines(refusal.err).at(0), "scratchnet: error: --layers: " + message);
  };
  refused({"--input-shape", "1,4,4", "--layers", "conv:3:3,2"},
          "layer spec entry 2 '2': a Linear layer takes flat samples, and its input has shape "
          "[3, 2, 2]: put a flatten entry before it");
  refused({"--layers", "conv:3:3,flatten,2"},
          "layer spec entry 1 'conv:3:3': conv takes images [C, H, W], and its input has shape "
          "[16] (a CSV of images needs --input-shape C,H,W)");
  refused({"--input-shape", "1,4,4", "--layers", "conv:3:5,flatten,2"},
          "layer spec entry 1 'conv:3:5': Conv2d kernel_size 5 (dilation 1) is larger than the "
          "4x4 input padded by 0");
}

TEST(CliTrain, JsonHasEveryEpochAndTheTestMetrics) {
  Workspace w;
  const auto result = run_cli({"train", "--data", w.data, "--test", w.data, "--layers", "8:tanh,3",
                               "--epochs", "3", "--json"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const nlohmann::json report = nlohmann::json::parse(result.out);
  ASSERT_EQ(report["epochs"].size(), 3u);
  for (const char* key :
       {"epoch", "loss", "accuracy", "val_loss", "val_accuracy", "seconds", "samples_per_second"}) {
    EXPECT_TRUE(report["epochs"][0].contains(key)) << key;
  }
  EXPECT_EQ(report["epochs"][2]["epoch"], 3);
  for (const char* key : {"loss", "accuracy", "confusion"}) {
    EXPECT_TRUE(report["test"].contains(key)) << key;
  }
}

// 2 epochs, then a resume to 4, gives the same weights bit for bit as 4 epochs in one go, at a
// constant rate (the default cosine is planned over the epochs, so adding some changes it).
TEST(CliTrain, ResumeIsBitExact) {
  Workspace w;
  const std::vector<std::string> common = {
      "train",   "--data", w.data, "--layers",   "12:relu,dropout:0.2,3",
      "--quiet", "--seed", "5",    "--schedule", "constant"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> arguments = common;
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    return run_cli(arguments);
  };
  ASSERT_EQ(with({"--epochs", "4", "--out", w.folder + "/straight.safetensors"}).exit_code, 0);
  const auto first = with({"--epochs", "2", "--checkpoint-dir", w.folder + "/checkpoints"});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  // A newer checkpoint that a crash left unreadable: the resume warns once and takes epoch 2.
  write_bytes(w.folder + "/checkpoints/checkpoint-epoch-0003.safetensors", "torn");
  const auto resumed =
      run_cli({"train", "--data", w.data, "--resume", w.folder + "/checkpoints", "--epochs", "4",
               "--quiet", "--out", w.folder + "/resumed.safetensors"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  ASSERT_EQ(lines(resumed.err).size(), 1u) << resumed.err;
  EXPECT_NE(resumed.err.find("checkpoint-epoch-0003.safetensors is unreadable"), std::string::npos)
      << resumed.err;

  const io::SafetensorsFile straight = io::read_safetensors(w.folder + "/straight.safetensors");
  const io::SafetensorsFile continued = io::read_safetensors(w.folder + "/resumed.safetensors");
  ASSERT_EQ(straight.tensors.size(), continued.tensors.size());
  for (std::size_t i = 0; i < straight.tensors.size(); ++i) {
    EXPECT_EQ(straight.tensors[i].name, continued.tensors[i].name);
    EXPECT_TRUE(straight.tensors[i].data == continued.tensors[i].data)
        << straight.tensors[i].name << " differs";
  }
}

// With --patience, a run resumed one epoch after its best stops where the run never stopped
// does, keeps the same best epoch's weights and running statistics, and writes the same bytes:
// early stopping's memory travels in the checkpoint. With BatchNorm, whose int64 counter sits
// among the f32 tensors (a resume once refused such a checkpoint for its dtype).
TEST(CliTrain, ResumeKeepsEarlyStoppingsMemory) {
  Workspace w;
  const std::vector<std::string> common = {
      "train",      "--data",     w.data,        "--layers", "12,batchnorm,relu,3",
      "--seed",     "3",          "--val-split", "0.3",      "--lr",
      "0.3",        "--patience", "3",           "--quiet",  "--json",
      "--schedule", "constant"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> arguments = common;
    arguments.insert(arguments.end(), extra.begin(), extra.end());
    return run_cli(arguments);
  };
  const auto straight = with({"--epochs", "200", "--out", w.folder + "/straight.safetensors"});
  ASSERT_EQ(straight.exit_code, 0) << straight.err;
  const nlohmann::json epochs = nlohmann::json::parse(straight.out)["epochs"];
  ASSERT_LT(epochs.size(), 200u) << "the run did not stop early";
  int best_epoch = 0;
  double best_loss = 1e300;
  for (const auto& epoch : epochs) {
    if (epoch["val_loss"].get<double>() < best_loss) {
      best_loss = epoch["val_loss"].get<double>();
      best_epoch = epoch["epoch"].get<int>();
    }
  }
  ASSERT_EQ(int(epochs.size()), best_epoch + 3);

  const std::string resume_after = std::to_string(best_epoch + 1);
  ASSERT_EQ(
      with({"--epochs", resume_after, "--checkpoint-dir", w.folder + "/checkpoints"}).exit_code, 0);
  const auto resumed =
      run_cli({"train", "--data", w.data, "--resume", w.folder + "/checkpoints", "--epochs", "200",
               "--json", "--out", w.folder + "/resumed.safetensors"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_EQ(nlohmann::json::parse(resumed.out)["epochs"].size(), epochs.size());
  const io::SafetensorsFile straight_file =
      io::read_safetensors(w.folder + "/straight.safetensors");
  const io::SafetensorsFile resumed_file = io::read_safetensors(w.folder + "/resumed.safetensors");
  ASSERT_EQ(straight_file.tensors.size(), resumed_file.tensors.size());
  for (std::size_t i = 0; i < straight_file.tensors.size(); ++i) {
    EXPECT_TRUE(straight_file.tensors[i].data == resumed_file.tensors[i].data)
        << straight_file.tensors[i].name << " differs";
  }
}

// The same command gives the same bytes, run again or on another number of threads.
TEST(CliTrain, SameModelTwiceAndOnOneOrTwoThreads) {
  Workspace w;
  const auto train = [&](const char* threads, const std::string& out) {
    const auto result =
        run_cli({"train", "--data", w.data, "--layers", "64:relu,dropout:0.2,40:relu,3", "--batch",
                 "100", "--epochs", "3", "--quiet", "--threads", threads, "--out", out});
    EXPECT_EQ(result.exit_code, 0) << result.err;
    return read_bytes(out);
  };
  const std::string once = train("2", w.folder + "/once.safetensors");
  EXPECT_EQ(train("2", w.folder + "/again.safetensors"), once);
  EXPECT_EQ(train("1", w.folder + "/one_thread.safetensors"), once);
  EXPECT_EQ(run_cli({"train", "--data", w.data, "--layers", "3", "--threads", "0"}).exit_code, 2);
}

TEST(CliTrain, WritesTheLogAndTheReport) {
  Workspace w;
  const auto result =
      run_cli({"train", "--data", w.data, "--layers", "8:relu,3", "--epochs", "3", "--quiet",
               "--log", w.folder + "/log.csv", "--report", w.folder + "/report.html"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto log = lines(read_bytes(w.folder + "/log.csv"));
  ASSERT_EQ(log.size(), 4u);
  EXPECT_EQ(log[0], "epoch,loss,accuracy,val_loss,val_accuracy,seconds,samples_per_second");
  EXPECT_EQ(log[3].substr(0, 2), "3,");
  const std::string report = read_bytes(w.folder + "/report.html");
  EXPECT_NE(report.find("<svg"), std::string::npos);
  EXPECT_EQ(report.find("http://"), std::string::npos);
}

// --init starts from a model file's weights, one that PyTorch wrote included (3 inputs, spec
// 4:relu,2 given with --layers): epoch 0 of that run is the torch model itself.
TEST(CliTrain, StartsFromATorchWrittenModel) {
  const std::string folder = fresh_folder("init");
  std::ostringstream csv;
  csv << "a,b,c,label\n";
  for (int i = 0; i < 40; ++i)
    csv << i % 3 << "," << i % 5 << "," << i % 7 << "," << (i % 2 ? "yes" : "no") << "\n";
  write_bytes(folder + "/data.csv", csv.str());
  const std::string torch_model =
      std::string(SCRATCHNET_FIXTURES_DIR) + "/torch_sequential.safetensors";
  const auto evaluated =
      run_cli({"eval", torch_model, folder + "/data.csv", "--layers", "4:relu,2", "--json"});
  ASSERT_EQ(evaluated.exit_code, 0) << evaluated.err;
  const auto trained = run_cli({"train", "--data", folder + "/data.csv", "--init", torch_model,
                                "--layers", "4:relu,2", "--normalize", "none", "--val-split", "0",
                                "--epochs", "1", "--lr", "1e-9", "--quiet", "--json"});
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  // With a learning rate of 1e-9 the first epoch's loss is the torch model's loss on the data.
  EXPECT_NEAR(nlohmann::json::parse(trained.out)["epochs"][0]["loss"].get<double>(),
              nlohmann::json::parse(evaluated.out)["loss"].get<double>(), 1e-6);
  const auto without_layers =
      run_cli({"train", "--data", folder + "/data.csv", "--init", torch_model});
  EXPECT_EQ(without_layers.exit_code, 1);
  EXPECT_NE(without_layers.err.find("--layers"), std::string::npos) << without_layers.err;
}

TEST(CliTrain, RegressionWithMse) {
  const std::string folder = fresh_folder("regression");
  std::ostringstream csv;
  csv << "x1,x2,y\n";
  for (int i = 0; i < 200; ++i) {
    const double x1 = (i % 20) / 10.0, x2 = (i % 7) / 7.0;
    csv << x1 << "," << x2 << "," << 3 * x1 - 2 * x2 + 0.5 << "\n";
  }
  write_bytes(folder + "/line.csv", csv.str());
  const auto trained = run_cli({"train", "--data", folder + "/line.csv", "--layers", "1", "--loss",
                                "mse", "--epochs", "200", "--lr", "0.05", "--quiet", "--out",
                                folder + "/line.safetensors"});
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  const auto evaluated =
      run_cli({"eval", folder + "/line.safetensors", folder + "/line.csv", "--json"});
  ASSERT_EQ(evaluated.exit_code, 0) << evaluated.err;
  const nlohmann::json metrics = nlohmann::json::parse(evaluated.out);
  EXPECT_GT(metrics["r2"].get<double>(), 0.99);
  for (const char* key : {"loss", "mse", "mae", "r2"})
    EXPECT_TRUE(metrics.contains(key)) << key;
  const auto predicted = run_cli({"predict", folder + "/line.safetensors", folder + "/line.csv"});
  EXPECT_EQ(lines(predicted.out)[0], "prediction");
}

TEST(CliGradcheck, PassesForEveryActivationAndLoss) {
  for (const auto& [layers, loss] :
       std::vector<std::pair<std::string, std::string>>{{"8:tanh,3", "ce"},
                                                        {"6:relu,5:gelu,2", "bce"},
                                                        {"5:leaky_relu,4:sigmoid,1", "mse"},
                                                        {"4:softmax,2", "sse"}}) {
    const auto result = run_cli({"gradcheck", "--layers", layers, "--loss", loss});
    EXPECT_EQ(result.exit_code, 0) << layers << " " << result.out << result.err;
    EXPECT_NE(result.out.find("0.weight"), std::string::npos);
    EXPECT_NE(result.out.find("passed"), std::string::npos);
  }
}

TEST(CliGradcheck, TakesImageLayersOnAnInputShape) {
  for (const std::string layers : {"conv:3:3:padding=1:stride=2:tanh,maxpool:2,flatten,3",
                                   "conv:4:2:dilation=2:groups=2:nobias,avgpool:2:padding=1,"
                                   "batchnorm,globalavgpool,flatten,3"}) {
    const auto result = run_cli({"gradcheck", "--layers", layers, "--input-shape", "2,6,5"});
    EXPECT_EQ(result.exit_code, 0) << layers << " " << result.out << result.err;
    EXPECT_NE(result.out.find("0.weight"), std::string::npos);
    EXPECT_NE(result.out.find("passed"), std::string::npos) << result.out;
  }
  const auto refused = run_cli({"gradcheck", "--layers", "conv:3:3,3", "--input-shape", "1,4,4"});
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(lines(refused.err).at(0),
            "scratchnet: error: --layers: layer spec entry 2 '3': a Linear layer takes flat "
            "samples, and its input has shape [3, 2, 2]: put a flatten entry before it");
}

// An IDX pair: n images of 2×2 pixels and their labels, big-endian headers as MNIST has them.
void write_idx_pair(const std::string& images, const std::string& labels,
                    const std::vector<std::uint8_t>& label_values) {
  const auto u32 = [](std::uint32_t v) {
    return std::string{char(v >> 24), char(v >> 16 & 0xff), char(v >> 8 & 0xff), char(v & 0xff)};
  };
  const std::uint32_t n = std::uint32_t(label_values.size());
  std::string image_bytes = u32(0x00000803) + u32(n) + u32(2) + u32(2);
  for (std::uint32_t i = 0; i < n * 4; ++i)
    image_bytes += char(i * 37 % 256);
  std::string label_bytes = u32(0x00000801) + u32(n);
  for (std::uint8_t label : label_values)
    label_bytes += char(label);
  write_bytes(images, image_bytes);
  write_bytes(labels, label_bytes);
}

TEST(CliErrors, AnIdxLabelOutOfTheModelsRange) {
  const std::string folder = fresh_folder("idx");
  write_idx_pair(folder + "/train-images", folder + "/train-labels", {0, 1, 2, 1, 0, 2, 1, 0});
  const auto trained = run_cli({"train", "--data", folder + "/train-images", "--labels",
                                folder + "/train-labels", "--layers", "4:relu,3", "--epochs", "1",
                                "--quiet", "--out", folder + "/m.safetensors"});
  ASSERT_EQ(trained.exit_code, 0) << trained.err;
  write_idx_pair(folder + "/test-images", folder + "/test-labels", {0, 1, 7});
  const auto evaluated = run_cli({"eval", folder + "/m.safetensors", folder + "/test-images",
                                  "--labels", folder + "/test-labels"});
  EXPECT_EQ(evaluated.exit_code, 1);
  ASSERT_EQ(lines(evaluated.err).size(), 1u) << evaluated.err;
  EXPECT_NE(evaluated.err.find("has label 7, out of range for 3 classes"), std::string::npos)
      << evaluated.err;
}

// `--test fashion-mnist` is its 10000 test images, as eval and predict read the name, and as
// `--data fashion-mnist` tests on by itself: not the 60000 training images again.
TEST(CliTrain, TestFashionMnistMeansItsTestImages) {
  if (!std::filesystem::exists("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz")) {
    GTEST_SKIP() << "Debian's dataset-fashion-mnist is not installed";
  }
  const std::vector<std::string> train = {
      "train", "--data", "fashion-mnist", "--layers",    "10", "--epochs",
      "1",     "--json", "--quiet",       "--val-split", "0"};
  const auto test_metrics = [](const testing::CommandResult& run) {
    EXPECT_EQ(run.exit_code, 0) << run.err;
    return nlohmann::json::parse(run.out).at("test");
  };
  const auto implied = test_metrics(run_cli(train));
  auto with_test = train;
  with_test.insert(with_test.end(), {"--test", "fashion-mnist"});
  const auto named = test_metrics(run_cli(with_test));
  long long rows = 0;
  for (const auto& row : named.at("confusion"))
    for (const auto& count : row)
      rows += count.get<long long>();
  EXPECT_EQ(rows, 10000);
  EXPECT_EQ(named.at("confusion"), implied.at("confusion"));

  with_test.insert(with_test.end(), {"--test-labels", "labels.idx"});
  const auto refused = run_cli(with_test);
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(lines(refused.err).at(0),
            "scratchnet: error: --test-labels: fashion-mnist brings its own labels");
}

// Each bad input gets one line naming the file and the problem, a status below 128, and no
// output file.
TEST(CliErrors, BadFilesGetOneClearLine) {
  Workspace w;
  write_bytes(w.folder + "/ragged.csv", "a,b,label\n1,2,x\n3,y\n");
  const std::string out = w.folder + "/never.safetensors";
  const auto ragged = run_cli(
      {"train", "--data", w.folder + "/ragged.csv", "--layers", "2", "--quiet", "--out", out});
  EXPECT_EQ(ragged.exit_code, 1);
  ASSERT_EQ(lines(ragged.err).size(), 1u) << ragged.err;
  EXPECT_NE(ragged.err.find(w.folder + "/ragged.csv:3:"), std::string::npos) << ragged.err;
  EXPECT_FALSE(std::filesystem::exists(out));

  ASSERT_EQ(run_cli({"train", "--data", w.data, "--layers", "4:relu,3", "--epochs", "1", "--quiet",
                     "--out", w.model})
                .exit_code,
            0);
  write_bytes(w.folder + "/wide.csv", "1,2,3,setosa\n");
  const auto wide = run_cli({"eval", w.model, w.folder + "/wide.csv", "--no-header"});
  EXPECT_EQ(wide.exit_code, 1);
  EXPECT_NE(wide.err.find("the model takes 2 features"), std::string::npos) << wide.err;

  write_bytes(w.folder + "/short.safetensors", "1234");
  const auto short_file = run_cli({"info", w.folder + "/short.safetensors"});
  EXPECT_EQ(short_file.exit_code, 1);
  EXPECT_EQ(lines(short_file.err).size(), 1u);
  EXPECT_NE(short_file.err.find("short.safetensors"), std::string::npos);

  const auto bad_loss = run_cli({"train", "--data", w.data, "--layers", "3", "--loss", "hinge"});
  EXPECT_EQ(bad_loss.exit_code, 2);
  EXPECT_NE(bad_loss.err.find("--loss: expected one of ce, bce, mse, sse, got 'hinge'"),
            std::string::npos);
  const auto bad_spec = run_cli({"train", "--data", w.data, "--layers", "3:rleu"});
  EXPECT_EQ(bad_spec.exit_code, 2);
  EXPECT_NE(bad_spec.err.find("'3:rleu'"), std::string::npos) << bad_spec.err;
  const auto missing = run_cli({"train", "--layers", "3"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("--data: required"), std::string::npos);
}

}  // namespace
}  // namespace scratchnet
