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

// torch's defaults, except Adam's and AdamW's: 3e-3, not 1e-3, because the default schedule is
// cosine, which anneals the rate to 0 by the last step; with that decay the higher start trains
// further in a few epochs (LeNet-5 on Fashion-MNIST in 10 epochs: 90.8% against 89.6% at a
// constant 1e-3, mean of 5 seeds; bench/torch_lenet_fmnist.py shows PyTorch's same recipe).
inline constexpr DefaultLearningRate kDefaultLearningRates[] = {
    {"sgd", "0.01"}, {"adam", "3e-3"}, {"adamw", "3e-3"}, {"rmsprop", "1e-2"}};

/// The default learning rate of `optimizer`; throws std::invalid_argument for an optimizer the
/// table does not name.
double default_learning_rate(std::string_view optimizer);

/// The table as one line: "sgd 0.01, adam 3e-3, adamw 3e-3, rmsprop 1e-2".
std::string default_learning_rates_text();

}  // namespace scratchnet::training
