// Metrics against hand-computed values.
#include <gtest/gtest.h>

#include "scratchnet/training/metrics.hpp"

namespace scratchnet {
namespace {

// truth     0 0 1 1 2 2 2
// predicted 0 1 1 1 0 2 2
// counts: (0,0)=1 (0,1)=1 (1,1)=2 (2,0)=1 (2,2)=2; correct 5 of 7
// class 0: precision 1/2, recall 1/2, F1 1/2
// class 1: precision 2/3, recall 1,   F1 2·(2/3)·1/(5/3) = 0.8
// class 2: precision 1,   recall 2/3, F1 0.8
ConfusionMatrix example() {
  ConfusionMatrix confusion(/*classes=*/3);
  const int truth[] = {0, 0, 1, 1, 2, 2, 2};
  const int predicted[] = {0, 1, 1, 1, 0, 2, 2};
  for (int i = 0; i < 7; ++i)
    confusion.add(truth[i], predicted[i]);
  return confusion;
}

TEST(ConfusionMatrix, CountsAccuracyPrecisionRecallF1ByHand) {
  const ConfusionMatrix confusion = example();
  EXPECT_EQ(confusion.count(0, 1), 1);
  EXPECT_EQ(confusion.count(2, 0), 1);
  EXPECT_EQ(confusion.count(1, 0), 0);
  EXPECT_EQ(confusion.total(), 7);
  EXPECT_DOUBLE_EQ(confusion.accuracy(), 5.0 / 7);
  EXPECT_DOUBLE_EQ(confusion.precision(0), 0.5);
  EXPECT_DOUBLE_EQ(confusion.recall(0), 0.5);
  EXPECT_DOUBLE_EQ(confusion.f1(0), 0.5);
  EXPECT_DOUBLE_EQ(confusion.precision(1), 2.0 / 3);
  EXPECT_DOUBLE_EQ(confusion.recall(1), 1.0);
  EXPECT_DOUBLE_EQ(confusion.f1(1), 0.8);
  EXPECT_DOUBLE_EQ(confusion.precision(2), 1.0);
  EXPECT_DOUBLE_EQ(confusion.recall(2), 2.0 / 3);
  EXPECT_DOUBLE_EQ(confusion.f1(2), 0.8);
}

TEST(ConfusionMatrix, UndefinedRatiosAreZero) {
  ConfusionMatrix confusion(/*classes=*/3);
  EXPECT_EQ(confusion.accuracy(), 0);
  confusion.add(0, 0);
  EXPECT_EQ(confusion.precision(2), 0);  // never predicted
  EXPECT_EQ(confusion.recall(2), 0);     // never occurred
  EXPECT_EQ(confusion.f1(2), 0);
  EXPECT_THROW(confusion.add(3, 0), std::out_of_range);
  EXPECT_THROW(ConfusionMatrix(1), std::invalid_argument);
}

TEST(ConfusionMatrix, MulticlassBatchTakesTheArgmax) {
  Matrix<double> logits(3, 3), labels(3, 1);
  logits << 0.1, 2.0, -1.0,  // predicts 1
      5.0, 5.0, 0.0,         // a tie: the first maximum, 0, as torch.argmax
      -3.0, -2.0, -1.0;      // predicts 2
  labels << 1, 1, 0;
  ConfusionMatrix confusion(/*classes=*/3);
  confusion.add_batch<double>(logits, labels, Task::multiclass);
  EXPECT_EQ(confusion.count(1, 1), 1);
  EXPECT_EQ(confusion.count(1, 0), 1);
  EXPECT_EQ(confusion.count(0, 2), 1);
  EXPECT_DOUBLE_EQ(confusion.accuracy(), 1.0 / 3);
}

TEST(ConfusionMatrix, BinaryBatchThresholdsLogitsAtZero) {
  Matrix<float> logits(4, 1), targets(4, 1);
  logits << 2, -1, 0, 3;  // predicts 1 0 0 1 (a logit of exactly 0 is σ = 0.5: not > 0.5)
  targets << 1, 1, 0, 0;
  ConfusionMatrix confusion(/*classes=*/2);
  confusion.add_batch<float>(logits, targets, Task::binary);
  EXPECT_EQ(confusion.count(1, 1), 1);
  EXPECT_EQ(confusion.count(1, 0), 1);
  EXPECT_EQ(confusion.count(0, 0), 1);
  EXPECT_EQ(confusion.count(0, 1), 1);
  EXPECT_THROW(confusion.add_batch<float>(logits, targets, Task::regression),
               std::invalid_argument);
}

// prediction 1 2 3 against target 1 3 5: errors 0 −1 −2
// MSE (0 + 1 + 4)/3 = 5/3, MAE 1, ȳ = 3, SS_tot = 4 + 0 + 4 = 8, R² = 1 − 5/8 = 0.375
TEST(RegressionMetrics, MseMaeR2ByHand) {
  Matrix<double> prediction(3, 1), target(3, 1);
  prediction << 1, 2, 3;
  target << 1, 3, 5;
  RegressionMetrics metrics(/*outputs=*/1);
  metrics.add_batch<double>(prediction, target);
  EXPECT_DOUBLE_EQ(metrics.mse(), 5.0 / 3);
  EXPECT_DOUBLE_EQ(metrics.mae(), 1.0);
  EXPECT_DOUBLE_EQ(metrics.r2(), 0.375);
  EXPECT_EQ(metrics.rows(), 3);
}

TEST(RegressionMetrics, BatchesAccumulateAsOne) {
  Matrix<double> first(2, 2), first_target(2, 2), second(1, 2), second_target(1, 2);
  first << 1, 7, 2, 7;
  first_target << 1, 7, 3, 7;
  second << 3, 7;
  second_target << 5, 7;  // output 2 is constant and predicted exactly: R² 1 by convention
  RegressionMetrics metrics(/*outputs=*/2);
  metrics.add_batch<double>(first, first_target);
  metrics.add_batch<double>(second, second_target);
  EXPECT_DOUBLE_EQ(metrics.mse(), 5.0 / 6);  // 5 over 6 elements
  EXPECT_DOUBLE_EQ(metrics.mae(), 3.0 / 6);
  EXPECT_DOUBLE_EQ(metrics.r2(), (0.375 + 1.0) / 2);
}

TEST(RegressionMetrics, StableForLargeOffsets) {
  Matrix<double> prediction(3, 1), target(3, 1);
  prediction << 1e9 + 1, 1e9 + 2, 1e9 + 3;
  target << 1e9 + 1, 1e9 + 3, 1e9 + 5;
  RegressionMetrics metrics(/*outputs=*/1);
  metrics.add_batch<double>(prediction, target);
  EXPECT_NEAR(metrics.r2(), 0.375, 1e-12);
}

TEST(RegressionMetrics, ConstantTargetMissedScoresZero) {
  Matrix<double> prediction(2, 1), target(2, 1);
  prediction << 1, 2;
  target << 4, 4;
  RegressionMetrics metrics(/*outputs=*/1);
  metrics.add_batch<double>(prediction, target);
  EXPECT_EQ(metrics.r2(), 0.0);
  EXPECT_THROW(metrics.add_batch<double>(Matrix<double>::Zero(2, 2), target),
               std::invalid_argument);
}

}  // namespace
}  // namespace scratchnet
