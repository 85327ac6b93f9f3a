#pragma once
// Every optimizer configuration the torch fixture covers, built in C++, for the tests that
// must hold for all of them (state, checkpoint round trip, no allocation after the first step).

#include <memory>
#include <vector>

#include "scratchnet/optimizers/adam.hpp"
#include "scratchnet/optimizers/adamw.hpp"
#include "scratchnet/optimizers/rmsprop.hpp"
#include "scratchnet/optimizers/sgd.hpp"

namespace scratchnet::testing {

/// SGD plain, with momentum and dampening, Nesterov with weight decay; Adam, with weight decay;
/// AdamW; RMSprop, centered with momentum and weight decay. Each branch of each rule runs.
template <typename T>
std::vector<std::unique_ptr<Optimizer<T>>> every_optimizer_configuration() {
  std::vector<std::unique_ptr<Optimizer<T>>> optimizers;
  optimizers.push_back(std::make_unique<Sgd<T>>(/*learning_rate=*/0.1));
  optimizers.push_back(
      std::make_unique<Sgd<T>>(SgdOptions{.lr = 0.1, .momentum = 0.9, .dampening = 0.2}));
  optimizers.push_back(std::make_unique<Sgd<T>>(
      SgdOptions{.lr = 0.1, .momentum = 0.8, .weight_decay = 0.01, .nesterov = true}));
  optimizers.push_back(std::make_unique<Adam<T>>());
  optimizers.push_back(std::make_unique<Adam<T>>(AdamOptions{.weight_decay = 0.1}));
  optimizers.push_back(std::make_unique<AdamW<T>>());
  optimizers.push_back(std::make_unique<Rmsprop<T>>());
  optimizers.push_back(std::make_unique<Rmsprop<T>>(
      RmspropOptions{.weight_decay = 0.02, .momentum = 0.5, .centered = true}));
  return optimizers;
}

}  // namespace scratchnet::testing
