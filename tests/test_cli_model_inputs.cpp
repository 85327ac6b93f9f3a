// A model file is used as it was trained, whatever order a user's file puts its columns in:
// columns matched by name, missing values refused, dropped or filled as training did, and
// pixels scaled as the images it learnt from were.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <functional>
#include <map>
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

// Rows of three named measurements and a class that depends on all three, in the column order
// `order` gives (a permutation of "x", "y", "z"; the label "kind" last), cell (row, column) being
// missing where `missing` says.
std::string table(int rows, const std::vector<std::string>& order,
                  const std::function<bool(int, const std::string&)>& missing = {}) {
  std::ostringstream text;
  for (const auto& name : order)
    text << name << ",";
  text << "kind\n";
  for (int i = 0; i < rows; ++i) {
    const std::map<std::string, double> value = {
        {"x", (i * 37 % 100) / 10.0}, {"y", 100 + (i * 61 % 100)}, {"z", -(i * 13 % 50) / 5.0}};
    for (const auto& name : order) {
      if (missing && missing(i, name)) {
        text << (i % 2 ? "NA" : "") << ",";
      } else {
        text << value.at(name) << ",";
      }
    }
    text << (value.at("x") + value.at("z") > 0 ? "up" : "down") << "\n";
  }
  return text.str();
}

// The header of an IDX file of unsigned bytes with dimensions `dims` (big-endian counts).
std::string idx_header(const std::vector<std::uint32_t>& dims) {
  std::string bytes = {0, 0, 0x08, char(dims.size())};
  for (std::uint32_t d : dims) {
    for (int shift = 24; shift >= 0; shift -= 8)
      bytes.push_back(char((d >> shift) & 0xFF));
  }
  return bytes;
}

struct Workspace {
  std::string folder = fresh_folder("model_inputs");
  std::string path(const std::string& name) const { return folder + "/" + name; }
};

TEST(CliModelInputs, ColumnsAreMatchedByName) {
  Workspace w;
  write_bytes(w.path("train.csv"), table(120, {"x", "y", "z"}));
  write_bytes(w.path("same.csv"), table(40, {"x", "y", "z"}));
  write_bytes(w.path("reordered.csv"), table(40, {"z", "x", "y"}));
  ASSERT_EQ(run_cli({"train", "--data", w.path("train.csv"), "--layers", "8:relu,2", "--epochs",
                     "5", "--quiet", "--out", w.path("m.safetensors")})
                .exit_code,
            0);
  const auto same = run_cli({"eval", w.path("m.safetensors"), w.path("same.csv"), "--json"});
  const auto reordered =
      run_cli({"eval", w.path("m.safetensors"), w.path("reordered.csv"), "--json"});
  ASSERT_EQ(same.exit_code, 0) << same.err;
  ASSERT_EQ(reordered.exit_code, 0) << reordered.err;
  EXPECT_EQ(reordered.out, same.out);
  EXPECT_EQ(reordered.err, "");
  // predict too, with or without the label column.
  const auto predicted = run_cli({"predict", w.path("m.safetensors"), w.path("same.csv")});
  const auto predicted_reordered =
      run_cli({"predict", w.path("m.safetensors"), w.path("reordered.csv")});
  ASSERT_EQ(predicted.exit_code, 0) << predicted.err;
  EXPECT_EQ(predicted_reordered.out, predicted.out);

  // A column the model needs, missing or renamed, is an error naming it; so is one it does not
  // know. Nothing is printed but the one line.
  write_bytes(w.path("renamed.csv"), "x,why,z,kind\n1,2,3,up\n");
  const auto renamed = run_cli({"eval", w.path("m.safetensors"), w.path("renamed.csv")});
  EXPECT_EQ(renamed.exit_code, 1);
  EXPECT_EQ(renamed.out, "");
  EXPECT_EQ(renamed.err, "scratchnet: error: " + w.path("renamed.csv") +
                             ":1:1: the columns do not match the features by name: the header "
                             "lacks 'y'; 'why' is not among them\n");
  write_bytes(w.path("extra.csv"), "x,y,z,w\n1,2,3,4\n");
  const auto extra = run_cli({"predict", w.path("m.safetensors"), w.path("extra.csv")});
  EXPECT_EQ(extra.exit_code, 1);
  EXPECT_NE(extra.err.find("'w' is not among them (nor the label 'kind')"), std::string::npos)
      << extra.err;

  // Without a header the columns go by position, with a warning that names the file.
  const std::string rows = table(40, {"x", "y", "z"});
  write_bytes(w.path("bare.csv"), rows.substr(rows.find('\n') + 1));
  const auto bare = run_cli({"eval", w.path("m.safetensors"), w.path("bare.csv"), "--json"});
  ASSERT_EQ(bare.exit_code, 0) << bare.err;
  EXPECT_EQ(bare.out, same.out);
  ASSERT_EQ(lines(bare.err).size(), 1u) << bare.err;
  EXPECT_NE(bare.err.find("warning: " + w.path("bare.csv") + ": no header"), std::string::npos);
}

TEST(CliModelInputs, TestFileColumnsAreMatchedByTheTrainingFilesNames) {
  Workspace w;
  write_bytes(w.path("train.csv"), table(120, {"x", "y", "z"}));
  write_bytes(w.path("test.csv"), table(40, {"x", "y", "z"}));
  write_bytes(w.path("test_reordered.csv"), table(40, {"y", "z", "x"}));
  const auto run = [&](const std::string& test) {
    return run_cli({"train", "--data", w.path("train.csv"), "--test", w.path(test), "--layers",
                    "4:relu,2", "--epochs", "2", "--json"});
  };
  const auto in_order = run("test.csv"), reordered = run("test_reordered.csv");
  ASSERT_EQ(in_order.exit_code, 0) << in_order.err;
  ASSERT_EQ(reordered.exit_code, 0) << reordered.err;
  EXPECT_EQ(nlohmann::json::parse(reordered.out)["test"],
            nlohmann::json::parse(in_order.out)["test"]);
}

TEST(CliModelInputs, TrainingFromAModelTakesItsColumnsByName) {
  Workspace w;
  write_bytes(w.path("train.csv"), table(120, {"x", "y", "z"}));
  write_bytes(w.path("more.csv"), table(80, {"x", "y", "z"}));
  write_bytes(w.path("more_reordered.csv"), table(80, {"z", "y", "x"}));
  write_bytes(w.path("test_reordered.csv"), table(30, {"y", "x", "z"}));
  ASSERT_EQ(run_cli({"train", "--data", w.path("train.csv"), "--layers", "8:relu,2", "--epochs",
                     "3", "--quiet", "--out", w.path("start.safetensors")})
                .exit_code,
            0);
  const auto go_on = [&](const std::string& data, const std::string& out) {
    return run_cli({"train", "--data", w.path(data), "--init", w.path("start.safetensors"),
                    "--test", w.path("test_reordered.csv"), "--epochs", "2", "--json", "--out",
                    w.path(out)});
  };
  const auto in_order = go_on("more.csv", "a.safetensors");
  const auto reordered = go_on("more_reordered.csv", "b.safetensors");
  ASSERT_EQ(in_order.exit_code, 0) << in_order.err;
  ASSERT_EQ(reordered.exit_code, 0) << reordered.err;
  const auto a = nlohmann::json::parse(in_order.out), b = nlohmann::json::parse(reordered.out);
  EXPECT_EQ(b["test"], a["test"]);
  EXPECT_EQ(b["epochs"][1]["val_loss"], a["epochs"][1]["val_loss"]);
  EXPECT_EQ(read_bytes(w.path("b.safetensors")), read_bytes(w.path("a.safetensors")));

  write_bytes(w.path("other.csv"), "x,y,w,kind\n1,2,3,up\n4,5,6,down\n");
  const auto other = go_on("other.csv", "never.safetensors");
  EXPECT_EQ(other.exit_code, 1);
  EXPECT_EQ(other.err, "scratchnet: error: " + w.path("other.csv") +
                           ": the columns do not match the features by name: the header lacks "
                           "'z'; 'w' is not among them\n");
}

TEST(CliModelInputs, MissingValuesAreRefusedDroppedOrFilledAsTrainingDid) {
  Workspace w;
  // x misses in rows 3, 10, 17, … (every 7th from 3); z in rows 5 and 40.
  const auto gaps = [](int row, const std::string& name) {
    return (name == "x" && row % 7 == 3) || (name == "z" && (row == 5 || row == 40));
  };
  write_bytes(w.path("gaps.csv"), table(60, {"x", "y", "z"}, gaps));
  const auto train = [&](const std::string& missing, const std::string& out) {
    return run_cli({"train", "--data", w.path("gaps.csv"), "--layers", "4:relu,2", "--epochs", "2",
                    "--quiet", "--missing", missing, "--out", w.path(out)});
  };

  const auto refused = train("error", "never.safetensors");
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(refused.err, "scratchnet: error: " + w.path("gaps.csv") +
                             ":5:1: 11 missing values: column 'x' 9 (at 5:1, 12:1, 19:1, …), "
                             "column 'z' 2 (at 7:9, 42:7); --missing drop, mean or median "
                             "handles them\n");
  EXPECT_FALSE(std::filesystem::exists(w.path("never.safetensors")));

  const auto dropped = train("drop", "drop.safetensors");
  ASSERT_EQ(dropped.exit_code, 0) << dropped.err;
  EXPECT_NE(dropped.err.find("left out 11 rows with missing values"), std::string::npos)
      << dropped.err;
  const auto drop_eval =
      run_cli({"eval", w.path("drop.safetensors"), w.path("gaps.csv"), "--json"});
  ASSERT_EQ(drop_eval.exit_code, 0) << drop_eval.err;
  const auto confusion =
      nlohmann::json::parse(drop_eval.out)["confusion"].get<std::vector<std::vector<int>>>();
  EXPECT_EQ(confusion.size(), 2u);
  int counted = 0;
  for (const auto& row : confusion)
    for (int cell : row)
      counted += cell;
  EXPECT_EQ(counted, 60 - 11);
  const auto drop_predict = run_cli({"predict", w.path("drop.safetensors"), w.path("gaps.csv")});
  EXPECT_EQ(drop_predict.exit_code, 1);
  EXPECT_NE(drop_predict.err.find("trained with --missing drop, but every row needs a prediction"),
            std::string::npos)
      << drop_predict.err;

  // Mean: the fill values are the training rows' means, stored in the model, and prediction
  // on the file with gaps equals prediction on the same file with the gaps filled by hand.
  ASSERT_EQ(run_cli({"train", "--data", w.path("gaps.csv"), "--layers", "4:relu,2", "--epochs", "2",
                     "--quiet", "--missing", "mean", "--val-split", "0", "--out",
                     w.path("mean.safetensors")})
                .exit_code,
            0);
  const auto file = io::read_safetensors(w.path("mean.safetensors"));
  const auto stored = nlohmann::json::parse(file.metadata.at("missing_values"));
  EXPECT_EQ(stored["strategy"], "mean");
  // The means of the cells that are there, computed here from the same formula as table().
  double x_sum = 0, z_sum = 0, y_sum = 0;
  int x_count = 0, z_count = 0;
  for (int i = 0; i < 60; ++i) {
    if (!gaps(i, "x")) x_sum += (i * 37 % 100) / 10.0, ++x_count;
    if (!gaps(i, "z")) z_sum += -(i * 13 % 50) / 5.0, ++z_count;
    y_sum += 100 + (i * 61 % 100);
  }
  const auto described = run_cli({"info", w.path("mean.safetensors")});
  EXPECT_NE(described.out.find("preprocessing, in this order:\n  1. missing values filled with "
                               "each feature's mean over the training rows\n  2. standardisation"),
            std::string::npos)
      << described.out;
  const std::vector<double> fill = stored["fill"];
  ASSERT_EQ(fill.size(), 3u);
  EXPECT_NEAR(fill[0], x_sum / x_count, 1e-12);
  EXPECT_NEAR(fill[1], y_sum / 60, 1e-12);
  EXPECT_NEAR(fill[2], z_sum / z_count, 1e-12);

  std::string filled = read_bytes(w.path("gaps.csv"));
  std::ostringstream by_hand;
  std::istringstream in(filled);
  std::string line;
  std::getline(in, line);
  by_hand << line << "\n";
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream cells_in(line);
    for (std::string cell; std::getline(cells_in, cell, ',');)
      cells.push_back(cell);
    for (std::size_t c = 0; c < 3; ++c) {
      if (cells[c].empty() || cells[c] == "NA") {
        std::ostringstream number;
        number.precision(17);
        number << fill[c];
        cells[c] = number.str();
      }
    }
    by_hand << cells[0] << "," << cells[1] << "," << cells[2] << "," << cells[3] << "\n";
  }
  write_bytes(w.path("filled.csv"), by_hand.str());
  const auto with_gaps = run_cli({"predict", w.path("mean.safetensors"), w.path("gaps.csv")});
  const auto without = run_cli({"predict", w.path("mean.safetensors"), w.path("filled.csv")});
  ASSERT_EQ(with_gaps.exit_code, 0) << with_gaps.err;
  ASSERT_EQ(without.exit_code, 0) << without.err;
  EXPECT_EQ(with_gaps.out, without.out);

  // A model trained without fill values refuses gaps at prediction, counting them.
  write_bytes(w.path("clean.csv"), table(60, {"x", "y", "z"}));
  ASSERT_EQ(run_cli({"train", "--data", w.path("clean.csv"), "--layers", "4:relu,2", "--epochs",
                     "1", "--quiet", "--out", w.path("clean.safetensors")})
                .exit_code,
            0);
  const auto no_fill = run_cli({"predict", w.path("clean.safetensors"), w.path("gaps.csv")});
  EXPECT_EQ(no_fill.exit_code, 1);
  EXPECT_NE(no_fill.err.find("11 missing values"), std::string::npos) << no_fill.err;
  EXPECT_NE(no_fill.err.find("trained with --missing error"), std::string::npos) << no_fill.err;
}

TEST(CliModelInputs, AModelTrainedOnImagesScalesPixelsFromACsvFile) {
  Workspace w;
  // 40 images of 2x3 pixels; the class is whether the left column is brighter than the right.
  std::string images = idx_header({40, 2, 3}), labels = idx_header({40});
  std::ostringstream csv;
  for (int i = 0; i < 40; ++i) {
    const int left = (i * 53) % 256, right = (i * 97 + 11) % 256;
    const std::uint8_t pixels[6] = {std::uint8_t(left),  std::uint8_t(i * 7 % 256),
                                    std::uint8_t(right), std::uint8_t(left / 2),
                                    std::uint8_t(200),   std::uint8_t(right / 2)};
    images.append(reinterpret_cast<const char*>(pixels), 6);
    labels.push_back(char(left > right ? 1 : 0));
    for (int p = 0; p < 6; ++p)
      csv << int(pixels[p]) << ",";
    csv << (left > right ? 1 : 0) << "\n";
  }
  write_bytes(w.path("images.idx"), images);
  write_bytes(w.path("labels.idx"), labels);
  write_bytes(w.path("pixels.csv"), csv.str());
  ASSERT_EQ(run_cli({"train", "--data", w.path("images.idx"), "--labels", w.path("labels.idx"),
                     "--layers", "4:relu,2", "--epochs", "2", "--quiet", "--out",
                     w.path("m.safetensors")})
                .exit_code,
            0);
  EXPECT_EQ(io::read_safetensors(w.path("m.safetensors")).metadata.at("pixel_scale"), "255");
  EXPECT_NE(run_cli({"info", w.path("m.safetensors")}).out.find("preprocessing: pixels / 255\n"),
            std::string::npos);
  const auto from_idx = run_cli({"eval", w.path("m.safetensors"), w.path("images.idx"), "--labels",
                                 w.path("labels.idx"), "--json"});
  const auto from_csv = run_cli({"eval", w.path("m.safetensors"), w.path("pixels.csv"), "--json"});
  ASSERT_EQ(from_idx.exit_code, 0) << from_idx.err;
  ASSERT_EQ(from_csv.exit_code, 0) << from_csv.err;
  const auto idx_metrics = nlohmann::json::parse(from_idx.out);
  const auto csv_metrics = nlohmann::json::parse(from_csv.out);
  EXPECT_EQ(csv_metrics["confusion"], idx_metrics["confusion"]);
  EXPECT_NEAR(csv_metrics["loss"].get<double>(), idx_metrics["loss"].get<double>(), 1e-12);
}

}  // namespace
}  // namespace scratchnet
