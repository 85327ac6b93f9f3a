#include "scratchnet/training/evaluation_json.hpp"

#include <cmath>

namespace scratchnet::training {

nlohmann::json number_or_null(double value) {
  return std::isnan(value) ? nlohmann::json(nullptr) : nlohmann::json(value);
}

nlohmann::json evaluation_json(const Evaluation& evaluation,
                               const std::vector<std::string>& classes) {
  nlohmann::json result = {{"loss", number_or_null(evaluation.loss)}};
  if (evaluation.regression) {
    result["mse"] = evaluation.regression->mse();
    result["mae"] = evaluation.regression->mae();
    result["r2"] = evaluation.regression->r2();
    return result;
  }
  const ConfusionMatrix& confusion = *evaluation.confusion;
  result["accuracy"] = confusion.accuracy();
  nlohmann::json counts = nlohmann::json::array(), precision = nlohmann::json::array(),
                 recall = nlohmann::json::array(), f1 = nlohmann::json::array();
  for (Index truth = 0; truth < confusion.classes(); ++truth) {
    nlohmann::json row = nlohmann::json::array();
    for (Index predicted = 0; predicted < confusion.classes(); ++predicted) {
      row.push_back(confusion.count(truth, predicted));
    }
    counts.push_back(std::move(row));
    precision.push_back(confusion.precision(truth));
    recall.push_back(confusion.recall(truth));
    f1.push_back(confusion.f1(truth));
  }
  result["confusion"] = std::move(counts);
  result["classes"] = classes;
  result["precision"] = std::move(precision);
  result["recall"] = std::move(recall);
  result["f1"] = std::move(f1);
  return result;
}

}  // namespace scratchnet::training
