// A regression target's standardisation and the numbers it touches: the fit (the feature
// standardisation's, on one column), apply and undo; metrics taken back to the label's units
// against metrics computed there directly; the model file's "target_normalization" saved, read
// back and refused with one clear line when it is not a finite mean and a positive normal scale;
// the settings key that turns it off, read from files written before it existed; an older
// checkpoint's history without regression metrics.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "scratchnet/data/standardization.hpp"
#include "scratchnet/data/target_standardization.hpp"
#include "scratchnet/init/initializer.hpp"
#include "scratchnet/io/model_file.hpp"
#include "scratchnet/model/layer_spec.hpp"
#include "scratchnet/training/history.hpp"
#include "scratchnet/training/label_units.hpp"
#include "scratchnet/training/settings.hpp"
#include "temporary_folder.hpp"

namespace scratchnet {
namespace {

using testing::TemporaryFolder;
using testing::write_bytes;

Matrix<double> column(std::initializer_list<double> values) {
  Matrix<double> m(Index(values.size()), 1);
  Index row = 0;
  for (double value : values)
    m(row++, 0) = value;
  return m;
}

TEST(TargetStandardization, FitsTheChosenRowsAsAFeatureColumnIsFitted) {
  const Matrix<double> targets = column({25, 346, 151, 75, 141, 206});
  const std::vector<Index> rows = {0, 1, 3, 5};  // rows 2 and 4 held out for validation
  const auto fitted = data::TargetStandardization::fit(targets, rows);
  // By hand: mean (25 + 346 + 75 + 206) / 4 = 163, deviations −138, 183, −88, 43,
  // squares 19044 + 33489 + 7744 + 1849 = 62126, population variance 15531.5.
  EXPECT_DOUBLE_EQ(fitted.mean, 163);
  EXPECT_DOUBLE_EQ(fitted.scale, std::sqrt(15531.5));
  const auto feature = data::Standardization::fit(targets, rows);
  EXPECT_EQ(fitted.mean, feature.mean[0]);
  EXPECT_EQ(fitted.scale, feature.scale[0]);

  Matrix<double> applied = targets;
  fitted.apply(applied);
  for (Index r = 0; r < targets.rows(); ++r) {
    EXPECT_DOUBLE_EQ(applied(r, 0), (targets(r, 0) - 163) / std::sqrt(15531.5));
    EXPECT_NEAR(fitted.undo(applied(r, 0)), targets(r, 0), 1e-12);
  }
  const auto constant =
      data::TargetStandardization::fit(column({7, 7, 7}), std::vector<Index>{0, 2});
  EXPECT_EQ(constant.mean, 7);
  EXPECT_EQ(constant.scale, 1);
  Matrix<double> two(3, 2);
  EXPECT_THROW(data::TargetStandardization::fit(two, std::vector<Index>{0}), std::invalid_argument);
  EXPECT_THROW(fitted.apply(two), std::invalid_argument);
  EXPECT_THROW(data::TargetStandardization::fit(targets, std::vector<Index>{}),
               std::invalid_argument);
}

TEST(TargetStandardization, MetricsInStandardUnitsComeBackAsTheLabelsOwn) {
  const data::TargetStandardization scaling{152.5, 77.25};
  const Matrix<double> truth = column({-1.25, 0.5, 2.0, -0.75, 0.25});
  const Matrix<double> output = column({-1.0, 0.25, 1.5, -0.5, 0.75});
  Matrix<double> truth_label = truth, output_label = output;
  for (Index r = 0; r < truth.rows(); ++r) {
    truth_label(r, 0) = scaling.undo(truth(r, 0));
    output_label(r, 0) = scaling.undo(output(r, 0));
  }
  RegressionMetrics standard(1), label(1);
  standard.add_batch<double>(output, truth);
  label.add_batch<double>(output_label, truth_label);
  Evaluation evaluation;
  evaluation.loss = standard.mse();
  evaluation.regression = standard;
  const Evaluation back = training::in_label_units(evaluation, scaling);
  EXPECT_NEAR(back.regression->mse(), label.mse(), 1e-9 * label.mse());
  EXPECT_NEAR(back.regression->mae(), label.mae(), 1e-12 * label.mae());
  EXPECT_NEAR(back.regression->r2(), label.r2(), 1e-12);
  EXPECT_NEAR(back.loss, label.mse(), 1e-9 * label.mse());
  EXPECT_EQ(back.regression->rows(), 5);
  // By hand: errors 0.25, −0.25, −0.5, 0.25, 0.5 → MSE 0.6875 / 5, MAE 1.75 / 5 in standard units.
  EXPECT_DOUBLE_EQ(back.regression->mse(), 0.1375 * 77.25 * 77.25);
  EXPECT_DOUBLE_EQ(back.regression->mae(), 0.35 * 77.25);
  const Evaluation unchanged = training::in_label_units(evaluation, std::nullopt);
  EXPECT_EQ(unchanged.loss, evaluation.loss);

  EpochMetrics epoch;
  epoch.loss = 0.5;
  epoch.val_loss = 0.25;
  epoch.mae = 0.5;
  epoch.val_mae = 0.125;
  epoch.r2 = 0.75;
  const EpochMetrics epoch_back = training::in_label_units(epoch, scaling);
  EXPECT_DOUBLE_EQ(epoch_back.loss, 0.5 * 77.25 * 77.25);
  EXPECT_DOUBLE_EQ(epoch_back.val_loss, 0.25 * 77.25 * 77.25);
  EXPECT_DOUBLE_EQ(epoch_back.mae, 0.5 * 77.25);
  EXPECT_DOUBLE_EQ(epoch_back.val_mae, 0.125 * 77.25);
  EXPECT_EQ(epoch_back.r2, 0.75);
  EXPECT_DOUBLE_EQ(training::r2_of_mean_squared_error(2, 8), 0.75);
  EXPECT_EQ(training::r2_of_mean_squared_error(0, 0), 1);
  EXPECT_EQ(training::r2_of_mean_squared_error(1, 0), 0);
}

// A one-output regression model, saved with `target` and read back.
struct RegressionFile {
  TemporaryFolder folder;
  std::string path = folder.file("model.safetensors");
  Sequential<double> model = build_model<double>(parse_layer_spec("4:relu,1"), 3);
  io::ModelDescription description;
  RegressionFile() {
    Random random(3);
    initialize(model, Initializer::torch_default, random);
    description.spec = "4:relu,1";
    description.loss = "mse";
  }
  // What loading a file whose "target_normalization" is `text` throws ("no error" if nothing).
  std::string error_with(const std::string& text) {
    auto metadata = io::model_metadata(model, description);
    metadata["target_normalization"] = text;
    auto tensors = io::parameter_tensors(model);
    write_bytes(path, io::encode_safetensors(tensors, metadata));
    return testing::error_without_folder([&] { io::load_model<double>(path); }, folder);
  }
};

TEST(TargetStandardization, TheModelFileKeepsItAndRefusesABadOne) {
  RegressionFile file;
  file.description.target = data::TargetStandardization{152.13348416289594, 77.00574586945044};
  io::save_model(file.path, file.model, file.description);
  const auto loaded = io::load_model<double>(file.path);
  ASSERT_TRUE(loaded.description.target.has_value());
  EXPECT_EQ(*loaded.description.target, *file.description.target);  // every bit
  file.description.target.reset();
  io::save_model(file.path, file.model, file.description);
  EXPECT_FALSE(io::load_model<double>(file.path).description.target.has_value());  // left out

  EXPECT_EQ(file.error_with(R"({"mean":-3.5,"scale":1e-300})"), "no error");
  const std::string holds =
      "model.safetensors: metadata 'target_normalization': expected a JSON "
      "object {\"mean\": number, \"scale\": number}";
  for (const char* text :
       {R"({"mean":1})", R"({"mean":1,"scale":"2"})", R"([1,2])",
        R"({"mean":1,"scale":2,"offset":0})", R"({"mean":null,"scale":2})", "{\"mean\":1,", "1e400",
        R"({"mean":-1e999,"scale":1})"}) {  // beyond double: not read
    EXPECT_EQ(file.error_with(text), holds) << text;
  }
  for (const auto& [text, shown] : std::vector<std::pair<std::string, std::string>>{
           {R"({"mean":1,"scale":0})", "mean 1 and scale 0"},
           {R"({"mean":1,"scale":-2})", "mean 1 and scale -2"},
           {R"({"mean":1,"scale":1e-320})", "mean 1 and scale 1e-320"},
       }) {
    EXPECT_EQ(file.error_with(text),
              "model.safetensors: metadata 'target_normalization': " + shown +
                  "; the mean must be finite and the scale a positive normal number")
        << text;
  }
  file.description.loss = "bce";
  EXPECT_EQ(file.error_with(R"({"mean":0,"scale":1})"),
            "model.safetensors: metadata 'target_normalization': a classifier (loss bce) has no "
            "target to scale");
  file.description.loss = "mse";
  file.description.target = data::TargetStandardization{0, std::nan("")};
  EXPECT_EQ(testing::error_without_folder(
                [&] { io::save_model(file.path, file.model, file.description); }, file.folder),
            "model.safetensors: cannot save: model description: 'target_normalization': mean 0 "
            "and scale nan; the mean must be finite and the scale a positive normal number");
}

TEST(TargetStandardization, SettingsWrittenBeforeTheKeyStillLoad) {
  training::TrainSettings settings;
  settings.layers = "8:relu,1";
  settings.loss = "mse";
  nlohmann::json json = nlohmann::json::parse(settings.to_json());
  EXPECT_EQ(json["normalize_target"], "");
  json.erase("normalize_target");  // a model or checkpoint from before the key
  const auto old = training::TrainSettings::from_json(json.dump(), "old.safetensors");
  EXPECT_EQ(old.normalize_target, "");
  EXPECT_EQ(old.to_json(), settings.to_json());
  settings.normalize_target = "none";
  EXPECT_EQ(training::TrainSettings::from_json(settings.to_json(), "f").normalize_target, "none");
  json["normalize_target"] = "minmax";
  try {
    training::TrainSettings::from_json(json.dump(), "bad.safetensors");
    FAIL() << "no error";
  } catch (const io::FormatError& error) {
    EXPECT_STREQ(error.what(),
                 "bad.safetensors: metadata 'options': 'normalize_target' expected one of "
                 "standard, none, got 'minmax'");
  }
  json["normalize_target"] = 1;
  EXPECT_THROW(training::TrainSettings::from_json(json.dump(), "f"), io::FormatError);
  settings.loss = "ce";
  settings.layers = "8:relu,2";
  settings.normalize_target = "standard";
  const auto problem = training::problem_of(settings, training::quoted_key);
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->key, "normalize_target");
  EXPECT_EQ(problem->problem, "standard is for a regression loss (mse, sse), not ce");
}

TEST(TargetStandardization, AnOlderHistoryWithoutRegressionMetricsReadsAsNaN) {
  const std::string old = R"([{"epoch":1,"loss":2.5,"accuracy":null,"val_loss":3.5,)"
                          R"("val_accuracy":null,"seconds":1,"samples_per_second":10}])";
  const auto history = training::history_from_json(old, 1, "ck");
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].loss, 2.5);
  EXPECT_TRUE(std::isnan(history[0].r2) && std::isnan(history[0].val_mae));
  EpochMetrics epoch{1, 2.5, std::nan(""), 3.5, std::nan(""), 1, 10, 0.001};
  epoch.r2 = 0.5;
  epoch.mae = 1.25;
  epoch.val_mae = 1.5;
  epoch.val_r2 = 0.25;
  const std::string text = training::history_json({epoch}).dump();
  const auto read = training::history_from_json(text, 1, "ck");
  EXPECT_EQ(read[0].r2, 0.5);
  EXPECT_EQ(read[0].mae, 1.25);
  EXPECT_EQ(read[0].val_mae, 1.5);
  EXPECT_EQ(read[0].val_r2, 0.25);
  EXPECT_EQ(training::history_json(read).dump(), text);
}

}  // namespace
}  // namespace scratchnet
