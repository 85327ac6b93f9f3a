#pragma once
// The learning rate each optimizer trains with when a run names none: named once, here, for
// make_optimizer and for what a front end tells its users (the train command's help text).

#include <string>
#include <string_view>

namespace scratchnet::training {

/// An optimizer's default learning rate, as people write it ("1e-3").
struct DefaultLearningRate {
  std::string_view optimizer;  // as TrainSettings::optimizer names it
  std::string_view rate;
};

inline constexpr DefaultLearningRate kDefaultLearningRates[] = {
    {"sgd", "0.01"}, {"adam", "1e-3"}, {"adamw", "1e-3"}, {"rmsprop", "1e-2"}};

/// The default learning rate of `optimizer`; throws std::invalid_argument for an optimizer the
/// table does not name.
double default_learning_rate(std::string_view optimizer);

/// The table as one line: "sgd 0.01, adam 1e-3, adamw 1e-3, rmsprop 1e-2".
std::string default_learning_rates_text();

}  // namespace scratchnet::training
