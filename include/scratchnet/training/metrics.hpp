#pragma once
// What a prediction is worth, accumulated batch by batch so that a data set never has to be
// held in memory at once.
//   ConfusionMatrix     classification: accuracy, and per class precision, recall and F1
//   RegressionMetrics   regression: MSE, MAE and R² (averaged uniformly over outputs, as
//                       scikit-learn's r2_score does by default)

#include <cstdint>
#include <utility>
#include <vector>

#include "scratchnet/losses/loss.hpp"
#include "scratchnet/matrix.hpp"

namespace scratchnet {

/// Counts of (true class, predicted class) pairs: counts(t, p), rows are the truth.
class ConfusionMatrix {
 public:
  /// An empty matrix over `classes` classes (2 for a binary task).
  explicit ConfusionMatrix(Index classes);

  /// Adds one prediction.
  void add(Index truth, Index predicted);

  /// Adds a batch of model outputs against its targets, read as `task` reads them:
  /// multiclass: the largest of each row's logits against the row's class index;
  /// binary: each logit > 0 against each 0/1 target (targets >= 0.5 count as 1).
  template <typename T>
  void add_batch(ConstMatrixRef<T> prediction, ConstMatrixRef<T> target, Task task);

  Index classes() const { return classes_; }
  std::int64_t count(Index truth, Index predicted) const {
    return counts_[truth * classes_ + predicted];
  }
  std::int64_t total() const;
  /// Correct predictions over all predictions; 0 when there are none.
  double accuracy() const;
  /// Of the predictions of class c, the fraction that were right; 0 when c was never predicted.
  double precision(Index c) const;
  /// Of the samples of class c, the fraction predicted as c; 0 when c never occurred.
  double recall(Index c) const;
  /// The harmonic mean of precision and recall; 0 when both are 0.
  double f1(Index c) const;

 private:
  Index classes_;
  std::vector<std::int64_t> counts_;  // row-major [truth, predicted]
};

/// Correct predictions in a batch, read as ConfusionMatrix::add_batch reads them, and the
/// number of predictions: {correct, total}. A regression task counts none: {0, 0}.
template <typename T>
std::pair<std::int64_t, std::int64_t> count_correct(ConstMatrixRef<T> prediction,
                                                    ConstMatrixRef<T> target, Task task);

/// Mean squared error, mean absolute error and the coefficient of determination, accumulated
/// over batches of predictions and targets [batch, outputs].
class RegressionMetrics {
 public:
  /// Metrics over `outputs` regression outputs.
  explicit RegressionMetrics(Index outputs);

  template <typename T>
  void add_batch(ConstMatrixRef<T> prediction, ConstMatrixRef<T> target);

  /// Mean of (prediction − target)² over every element.
  double mse() const;
  /// Mean of |prediction − target| over every element.
  double mae() const;
  /// 1 − SS_res / SS_tot per output, averaged over outputs. An output whose targets are all equal
  /// scores 1 when predicted exactly, else 0 (scikit-learn's convention).
  double r2() const;
  std::int64_t rows() const { return rows_; }

  /// The same metrics had every prediction and target been p · scale + offset (scale > 0): what
  /// metrics measured on standardized targets are in the label's units. MSE scales by scale²,
  /// MAE by scale; R² stays as it is.
  RegressionMetrics rescaled(double scale, double offset) const;

 private:
  std::int64_t rows_ = 0;
  std::vector<double> squared_error_;  // Σ (ŷ − y)² per output
  std::vector<double> absolute_error_;
  std::vector<double> target_mean_;  // Welford's running mean and Σ (y − ȳ)² per output
  std::vector<double> target_spread_;
};

}  // namespace scratchnet
