#include "scratchnet/optimizers/optimizer.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <utility>

namespace scratchnet {
namespace {

std::string describe(double value) {
  std::ostringstream text;
  text << value;
  return text.str();
}

}  // namespace

template <typename T>
Optimizer<T>::Optimizer(double learning_rate, std::vector<std::string> state_names)
    : learning_rate_(non_negative(learning_rate, "lr")), state_names_(std::move(state_names)) {}

// Every step: check the lengths, allocate the state once, count the step (torch's
// state['step'] += 1 comes before the update), then the optimizer's own rule.
template <typename T>
void Optimizer<T>::step(VectorView<T> parameters, VectorView<T> gradients) {
  if (parameters.size() != gradients.size()) {
    throw std::invalid_argument("optimizer step: " + std::to_string(parameters.size()) +
                                " parameters but " + std::to_string(gradients.size()) +
                                " gradients");
  }
  allocate_state(parameters.size());
  ++steps_;
  // Fixed slices, whatever the thread count: big enough to amortise handing them out.
  constexpr Index kSlice = 16 * 1024;
  kernels::run_slices(pool_, parameters.size(), kSlice, [&](Index first, Index count) {
    update(VectorView<T>(parameters.data() + first, count),
           VectorView<T>(gradients.data() + first, count), first);
  });
}

template <typename T>
void Optimizer<T>::set_learning_rate(double learning_rate) {
  learning_rate_ = non_negative(learning_rate, "lr");
}

template <typename T>
void Optimizer<T>::set_steps(std::int64_t steps) {
  if (steps < 0) throw std::invalid_argument("steps must be >= 0, got " + std::to_string(steps));
  steps_ = steps;
}

template <typename T>
std::vector<OptimizerState<T>> Optimizer<T>::state() {
  std::vector<OptimizerState<T>> views;
  if (!allocated_) return views;
  for (std::size_t i = 0; i < state_names_.size(); ++i)
    views.push_back({state_names_[i], state_buffer(i, 0, state_size_)});
  return views;
}

template <typename T>
void Optimizer<T>::allocate_state(Index parameter_count) {
  if (allocated_) {
    if (parameter_count == state_size_) return;
    throw std::invalid_argument("optimizer state holds " + std::to_string(state_size_) +
                                " values per buffer but the model has " +
                                std::to_string(parameter_count) + " parameters");
  }
  if (parameter_count < 0) throw std::invalid_argument("parameter count must be >= 0");
  buffers_.assign(state_names_.size(), std::vector<T>(std::size_t(parameter_count), T(0)));
  state_size_ = parameter_count;
  allocated_ = true;
}

template <typename T>
VectorView<T> Optimizer<T>::state_buffer(std::size_t index, Index first, Index count) {
  return {buffers_[index].data() + first, count};
}

template <typename T>
double Optimizer<T>::non_negative(double value, const char* name) {
  if (!(std::isfinite(value) && value >= 0)) {
    throw std::invalid_argument(std::string(name) + " must be a finite number >= 0, got " +
                                describe(value));
  }
  return value;
}

template class Optimizer<float>;
template class Optimizer<double>;

}  // namespace scratchnet
