#include "scratchnet/training/metrics.hpp"

#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

namespace scratchnet {
namespace {

// Calls visit(truth, predicted) for every prediction in a batch, as `task` defines them:
// multiclass, the first largest logit of a row against its class index (torch.argmax);
// binary, each logit > 0 against each target >= 0.5.
template <typename T, typename Visit>
void for_each_prediction(ConstMatrixRef<T> prediction, ConstMatrixRef<T> target, Task task,
                         Visit&& visit) {
  if (task == Task::multiclass) {
    for (Index row = 0; row < prediction.rows(); ++row) {
      Index predicted = 0;
      prediction.row(row).maxCoeff(&predicted);
      visit(Index(target(row, 0)), predicted);
    }
  } else if (task == Task::binary) {
    for (Index row = 0; row < prediction.rows(); ++row) {
      for (Index col = 0; col < prediction.cols(); ++col) {
        visit(target(row, col) >= T(0.5) ? 1 : 0, prediction(row, col) > T(0) ? 1 : 0);
      }
    }
  }
}

}  // namespace

template <typename T>
std::pair<std::int64_t, std::int64_t> count_correct(ConstMatrixRef<T> prediction,
                                                    ConstMatrixRef<T> target, Task task) {
  std::int64_t correct = 0, total = 0;
  for_each_prediction<T>(prediction, target, task, [&](Index truth, Index predicted) {
    correct += truth == predicted;
    ++total;
  });
  return {correct, total};
}

ConfusionMatrix::ConfusionMatrix(Index classes)
    : classes_(classes), counts_(std::size_t(classes * classes), 0) {
  if (classes < 2) throw std::invalid_argument("a confusion matrix needs at least 2 classes");
}

void ConfusionMatrix::add(Index truth, Index predicted) {
  if (truth < 0 || truth >= classes_ || predicted < 0 || predicted >= classes_) {
    throw std::out_of_range("class " + std::to_string(truth) + " or " + std::to_string(predicted) +
                            " outside 0.." + std::to_string(classes_ - 1));
  }
  ++counts_[truth * classes_ + predicted];
}

template <typename T>
void ConfusionMatrix::add_batch(ConstMatrixRef<T> prediction, ConstMatrixRef<T> target, Task task) {
  if (task == Task::regression) {
    throw std::invalid_argument("a regression task has no confusion matrix");
  }
  for_each_prediction<T>(prediction, target, task,
                         [this](Index truth, Index predicted) { add(truth, predicted); });
}

std::int64_t ConfusionMatrix::total() const {
  return std::accumulate(counts_.begin(), counts_.end(), std::int64_t{0});
}

double ConfusionMatrix::accuracy() const {
  std::int64_t correct = 0;
  for (Index c = 0; c < classes_; ++c)
    correct += count(c, c);
  const std::int64_t all = total();
  return all == 0 ? 0.0 : double(correct) / double(all);
}

double ConfusionMatrix::precision(Index c) const {
  std::int64_t predicted = 0;
  for (Index truth = 0; truth < classes_; ++truth)
    predicted += count(truth, c);
  return predicted == 0 ? 0.0 : double(count(c, c)) / double(predicted);
}

double ConfusionMatrix::recall(Index c) const {
  std::int64_t actual = 0;
  for (Index predicted = 0; predicted < classes_; ++predicted)
    actual += count(c, predicted);
  return actual == 0 ? 0.0 : double(count(c, c)) / double(actual);
}

double ConfusionMatrix::f1(Index c) const {
  const double p = precision(c), r = recall(c);
  return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
}

RegressionMetrics::RegressionMetrics(Index outputs)
    : squared_error_(outputs, 0),
      absolute_error_(outputs, 0),
      target_mean_(outputs, 0),
      target_spread_(outputs, 0) {}

template <typename T>
void RegressionMetrics::add_batch(ConstMatrixRef<T> prediction, ConstMatrixRef<T> target) {
  if (prediction.rows() != target.rows() || prediction.cols() != Index(squared_error_.size()) ||
      target.cols() != prediction.cols()) {
    throw std::invalid_argument("regression metrics: prediction and target shapes differ");
  }
  for (Index row = 0; row < prediction.rows(); ++row) {
    ++rows_;
    for (Index o = 0; o < prediction.cols(); ++o) {
      const double y = double(target(row, o));
      const double error = double(prediction(row, o)) - y;
      squared_error_[o] += error * error;
      absolute_error_[o] += std::abs(error);
      const double delta = y - target_mean_[o];  // Welford: stable for large offsets
      target_mean_[o] += delta / double(rows_);
      target_spread_[o] += delta * (y - target_mean_[o]);
    }
  }
}

double RegressionMetrics::mse() const {
  const double elements = double(rows_) * double(squared_error_.size());
  return elements == 0
             ? 0.0
             : std::accumulate(squared_error_.begin(), squared_error_.end(), 0.0) / elements;
}

double RegressionMetrics::mae() const {
  const double elements = double(rows_) * double(absolute_error_.size());
  return elements == 0
             ? 0.0
             : std::accumulate(absolute_error_.begin(), absolute_error_.end(), 0.0) / elements;
}

double RegressionMetrics::r2() const {
  double sum = 0;
  for (std::size_t o = 0; o < squared_error_.size(); ++o) {
    if (target_spread_[o] == 0) {
      sum += squared_error_[o] == 0 ? 1.0 : 0.0;
    } else {
      sum += 1 - squared_error_[o] / target_spread_[o];
    }
  }
  return squared_error_.empty() ? 0.0 : sum / double(squared_error_.size());
}

RegressionMetrics RegressionMetrics::rescaled(double scale, double offset) const {
  if (!(scale > 0)) throw std::invalid_argument("regression metrics: a scale must be positive");
  RegressionMetrics result = *this;
  for (std::size_t o = 0; o < squared_error_.size(); ++o) {
    result.squared_error_[o] *= scale * scale;
    result.absolute_error_[o] *= scale;
    result.target_mean_[o] = target_mean_[o] * scale + offset;
    result.target_spread_[o] *= scale * scale;
  }
  return result;
}

template std::pair<std::int64_t, std::int64_t> count_correct<float>(ConstMatrixRef<float>,
                                                                    ConstMatrixRef<float>, Task);
template std::pair<std::int64_t, std::int64_t> count_correct<double>(ConstMatrixRef<double>,
                                                                     ConstMatrixRef<double>, Task);
template void ConfusionMatrix::add_batch<float>(ConstMatrixRef<float>, ConstMatrixRef<float>, Task);
template void ConfusionMatrix::add_batch<double>(ConstMatrixRef<double>, ConstMatrixRef<double>,
                                                 Task);
template void RegressionMetrics::add_batch<float>(ConstMatrixRef<float>, ConstMatrixRef<float>);
template void RegressionMetrics::add_batch<double>(ConstMatrixRef<double>, ConstMatrixRef<double>);

}  // namespace scratchnet
