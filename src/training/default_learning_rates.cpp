#include "scratchnet/training/default_learning_rates.hpp"

#include <charconv>
#include <stdexcept>

namespace scratchnet::training {

double default_learning_rate(std::string_view optimizer) {
  for (const DefaultLearningRate& entry : kDefaultLearningRates) {
    if (entry.optimizer != optimizer) continue;
    double rate = 0;
    std::from_chars(entry.rate.data(), entry.rate.data() + entry.rate.size(), rate);
    return rate;
  }
  throw std::invalid_argument("unknown optimizer '" + std::string(optimizer) + "'");
}

std::string default_learning_rates_text() {
  std::string text;
  for (const DefaultLearningRate& entry : kDefaultLearningRates) {
    if (!text.empty()) text += ", ";
    text += std::string(entry.optimizer) + " " + std::string(entry.rate);
  }
  return text;
}

}  // namespace scratchnet::training
