// Learning-rate schedules by hand: step decay, cosine endpoints and hold, the warm-up ramp, and
// invalid arguments. The torch comparison of whole runs is in test_optimizers.cpp.
#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>

#include "scratchnet/optimizers/lr_schedule.hpp"

namespace scratchnet {
namespace {

TEST(LrSchedule, StepDecaysEveryStepSize) {
  const LrSchedule schedule = LrSchedule::step(/*base_lr=*/0.1, /*step_size=*/3, /*gamma=*/0.5);
  EXPECT_EQ(schedule.at(0), 0.1);
  EXPECT_EQ(schedule.at(2), 0.1);
  EXPECT_EQ(schedule.at(3), 0.05);
  EXPECT_EQ(schedule.at(6), 0.025);
  EXPECT_EQ(schedule.at(8), 0.025);
  EXPECT_EQ(LrSchedule::constant(/*base_lr=*/0.1).at(1000), 0.1);
}

TEST(LrSchedule, CosineFromBaseToMinThenHolds) {
  const LrSchedule schedule =
      LrSchedule::cosine(/*base_lr=*/0.1, /*total_steps=*/10, /*min_lr=*/0.01);
  EXPECT_EQ(schedule.at(0), 0.1);
  EXPECT_NEAR(schedule.at(5), 0.055, 1e-17);  // halfway: the mean of base and min
  EXPECT_NEAR(schedule.at(10), 0.01, 1e-17);  // cos π = −1
  EXPECT_EQ(schedule.at(11), 0.01);           // held, where torch's would rise again
  EXPECT_EQ(schedule.at(1000), 0.01);
}

TEST(LrSchedule, WarmupRampsLinearlyThenStartsTheSchedule) {
  const LrSchedule constant = LrSchedule::constant(/*base_lr=*/0.1).with_warmup(4);
  EXPECT_EQ(constant.at(0), 0.1 * 1 / 4);
  EXPECT_EQ(constant.at(1), 0.1 * 2 / 4);
  EXPECT_EQ(constant.at(2), 0.1 * 3 / 4);
  EXPECT_EQ(constant.at(3), 0.1);
  EXPECT_EQ(constant.at(4), 0.1);
  // Cosine's T counts the steps after warm-up: t = 2 is t' = 0, t = 12 is t' = T.
  const LrSchedule cosine =
      LrSchedule::cosine(0.1, /*total_steps=*/10, /*min_lr=*/0).with_warmup(2);
  EXPECT_EQ(cosine.at(0), 0.05);
  EXPECT_EQ(cosine.at(1), 0.1);
  EXPECT_EQ(cosine.at(2), 0.1);
  EXPECT_NEAR(cosine.at(7), 0.05, 1e-17);
  EXPECT_NEAR(cosine.at(12), 0, 1e-17);
  const LrSchedule step = LrSchedule::step(0.1, /*step_size=*/3, /*gamma=*/0.5).with_warmup(2);
  EXPECT_EQ(step.at(4), 0.1);
  EXPECT_EQ(step.at(5), 0.05);
}

TEST(LrSchedule, RejectsInvalidArguments) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_THROW(LrSchedule::constant(-0.1), std::invalid_argument);
  EXPECT_THROW(LrSchedule::constant(nan), std::invalid_argument);
  EXPECT_THROW(LrSchedule::constant(inf), std::invalid_argument);
  EXPECT_THROW(LrSchedule::step(0.1, /*step_size=*/0, /*gamma=*/0.5), std::invalid_argument);
  EXPECT_THROW(LrSchedule::step(0.1, /*step_size=*/1, /*gamma=*/0), std::invalid_argument);
  EXPECT_THROW(LrSchedule::step(0.1, /*step_size=*/1, /*gamma=*/inf), std::invalid_argument);
  EXPECT_THROW(LrSchedule::cosine(0.1, /*total_steps=*/0, /*min_lr=*/0), std::invalid_argument);
  EXPECT_THROW(LrSchedule::cosine(0.1, /*total_steps=*/5, /*min_lr=*/nan), std::invalid_argument);
  EXPECT_THROW(LrSchedule::constant(0.1).with_warmup(-1), std::invalid_argument);
  EXPECT_THROW(LrSchedule::constant(0.1).at(-1), std::invalid_argument);
  LrSchedule by_hand;
  by_hand.kind = LrSchedule::Kind::step;
  by_hand.step_size = 0;
  EXPECT_THROW(by_hand.at(0), std::invalid_argument);
}

}  // namespace
}  // namespace scratchnet
