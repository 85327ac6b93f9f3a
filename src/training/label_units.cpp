#include "scratchnet/training/label_units.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace scratchnet::training {

Evaluation in_label_units(Evaluation evaluation,
                          const std::optional<data::TargetStandardization>& scaling) {
  if (!scaling) return evaluation;
  evaluation.loss *= scaling->scale * scaling->scale;
  if (evaluation.regression)
    evaluation.regression = evaluation.regression->rescaled(scaling->scale, scaling->mean);
  return evaluation;
}

EpochMetrics in_label_units(EpochMetrics metrics,
                            const std::optional<data::TargetStandardization>& scaling) {
  if (!scaling) return metrics;
  const double squared = scaling->scale * scaling->scale;
  metrics.loss *= squared;
  metrics.val_loss *= squared;
  metrics.mae *= scaling->scale;
  metrics.val_mae *= scaling->scale;
  return metrics;
}

BatchProgress in_label_units(BatchProgress progress,
                             const std::optional<data::TargetStandardization>& scaling) {
  if (scaling) progress.loss *= scaling->scale * scaling->scale;
  return progress;
}

template <typename T>
OutputsAndTargets outputs_in_label_units(Sequential<T>& model, const Dataset<T>& data,
                                         const std::optional<data::TargetStandardization>& scaling,
                                         Index most_rows) {
  constexpr Index kBatch = 256;
  const Index rows = std::min(most_rows, data.size());
  const auto undo = [&](T value) { return scaling ? scaling->undo(double(value)) : double(value); };
  OutputsAndTargets result;
  model.eval();
  BatchBuffer<T> features, targets;
  std::vector<Index> batch_rows;
  for (Index first = 0; first < rows; first += kBatch) {
    const Index count = std::min(kBatch, rows - first);
    batch_rows.resize(std::size_t(count));
    std::iota(batch_rows.begin(), batch_rows.end(), first);
    data.gather(batch_rows, features.reshape(count, data.features()),
                targets.reshape(count, data.target_width()));
    const auto output = model.forward(features.view());
    for (Index row = 0; row < count; ++row) {
      result.outputs.push_back(undo(output(row, 0)));
      result.targets.push_back(undo(targets.view()(row, 0)));
    }
  }
  return result;
}

template OutputsAndTargets outputs_in_label_units<float>(
    Sequential<float>&, const Dataset<float>&, const std::optional<data::TargetStandardization>&,
    Index);
template OutputsAndTargets outputs_in_label_units<double>(
    Sequential<double>&, const Dataset<double>&, const std::optional<data::TargetStandardization>&,
    Index);

double r2_of_mean_squared_error(double mse, double variance) {
  if (std::isnan(mse)) return mse;
  if (variance == 0) return mse == 0 ? 1.0 : 0.0;
  return 1 - mse / variance;
}

}  // namespace scratchnet::training
