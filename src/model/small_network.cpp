#include "scratchnet/model/small_network.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "scratchnet/aligned_allocator.hpp"
#include "scratchnet/kernels/cpu.hpp"
#include "scratchnet/kernels/gemm.hpp"
#include "scratchnet/layers/dense.hpp"
#include "scratchnet/layers/elementwise_activation.hpp"
#include "scratchnet/layers/sigmoid.hpp"
#include "scratchnet/losses/mean_squared_error.hpp"
#include "scratchnet/losses/sum_squared_error.hpp"
#include "scratchnet/optimizers/sgd.hpp"
#include "small_network_loop.hpp"

namespace scratchnet {
namespace small_network {
namespace {

// The baseline build of the loop. This file is compiled without fused multiply-adds
// (src/CMakeLists.txt), as the AVX2 and AVX-512 builds and gemm.cpp are. Its sigmoid is the
// layer's (the scalar kernel when the CPU has no wider one).
struct InRegisterSigmoid {
  bool operator()(const double*, double*, small_network::Size) const { return false; }
};

#define TRAIN_FUNCTION train_baseline
#include "small_network_loop.inc"
#undef TRAIN_FUNCTION

}  // namespace

void train_portable(const Plan& plan, double* values, std::int64_t iterations) {
  train_baseline(plan, values, iterations);
}

}  // namespace small_network

namespace {

using small_network::kLanes;
using small_network::Plan;
using small_network::Step;

// Every block starts on a cache line, so that no block shares one with the next.
constexpr Index kLine = 64 / sizeof(double);

Index round_up(Index count, Index multiple) {
  return (count + multiple - 1) / multiple * multiple;
}

std::string describe_layer(std::size_t index, const Layer<double>& layer) {
  return "layer " + std::to_string(index) + " (" + layer.name() + ")";
}

void activate(const void* layer, const double* x, double* y, Index n) {
  static_cast<const ElementwiseActivation<double>*>(layer)->activate(x, y, n);
}

void backpropagate(const void* layer, const double* x, const double* y, const double* dy,
                   double* dx, Index n) {
  static_cast<const ElementwiseActivation<double>*>(layer)->backpropagate(x, y, dy, dx, n);
}

// The loop for the widest instructions the CPU has (and SCRATCHNET_ISA allows).
auto best_loop() {
#if defined(__x86_64__)
  if (kernels::cpu_has("avx512")) return &small_network::train_avx512;
  if (kernels::cpu_has("avx2")) return &small_network::train_avx2;
#endif
  return &small_network::train_portable;
}

}  // namespace

struct SmallNetwork::State {
  Sequential<double>& network;
  SmallLoss loss;
  std::vector<Step> steps;
  Plan plan;
  AlignedVector<double> values;
  Matrix<double> output;   // [rows, outputs], row-major, after train()
  Matrix<double> targets;  // [rows, outputs]
  decltype(best_loop()) loop = best_loop();
};

namespace {

// Lays the values out: the parameters as the model lays them out, the
// targets, the batch, then each layer's output and its gradient, each [width, stride]
// (small_network_loop.hpp). Returns why it cannot, or "" having filled `steps` and `plan`.
std::string lay_out(const Sequential<double>& network, Index rows, std::vector<Step>& steps,
                    Plan& plan) {
  if (rows < 1) return "SmallNetwork: the batch has no rows";
  steps.clear();
  plan.parameter_count = 0;
  std::string why;
  network.for_each_layer(
      [&](std::size_t index, const Layer<double>& layer, const LayerSlices& slices) {
        if (!why.empty()) return;
        plan.parameter_count += slices.parameter_count;
        Step step;
        step.inputs = steps.empty() ? network.inputs() : steps.back().outputs;
        step.outputs = step.inputs;
        if (const auto* dense = dynamic_cast<const Dense<double>*>(&layer)) {
          const Index in = dense->inputs(), out = dense->outputs();
          // The general path's three products: forward, weight gradient, input gradient.
          if (!kernels::gemm_adds_in_order<double>(rows, out, in, true, true) ||
              !kernels::gemm_adds_in_order<double>(out, in, rows, out == 1, in == 1) ||
              !kernels::gemm_adds_in_order<double>(rows, in, out, true, in == 1)) {
            why = "SmallNetwork: " + describe_layer(index, layer) +
                  " is too big to multiply in plain loops on a batch of " + std::to_string(rows) +
                  " rows";
            return;
          }
          step.outputs = out;
          step.weight = slices.parameter_offset;
          if (dense->has_bias()) step.bias = slices.parameter_offset + in * out;
        } else if (const auto* activation =
                       dynamic_cast<const ElementwiseActivation<double>*>(&layer)) {
          step.activation = {activation, &activate, &backpropagate,
                             dynamic_cast<const Sigmoid<double>*>(&layer) != nullptr};
        } else {
          why = "SmallNetwork: " + describe_layer(index, layer) +
                " is neither Dense nor an elementwise activation";
          return;
        }
        steps.push_back(step);
      });
  if (!why.empty()) return why;
  if (steps.empty()) return "SmallNetwork: the network has no layers";

  plan.rows = rows;
  plan.stride = round_up(rows, kLanes);
  Index next = 0;
  const auto block = [&](Index count) {
    const Index offset = next;
    next += round_up(count, kLine);
    return offset;
  };
  plan.parameters = block(plan.parameter_count);
  plan.targets = block(network.outputs() * plan.stride);
  Index x = block(network.inputs() * plan.stride);
  const std::size_t first_trained = network.first_with_parameters();
  for (std::size_t i = 0; i < steps.size(); ++i) {
    Step& step = steps[i];
    step.x = x;
    step.y = x = block(step.outputs * plan.stride);
    step.dy = block(step.outputs * plan.stride);
    // As backward_parameters: no input gradient for the first layer with parameters and before.
    if (i > first_trained) step.dx = steps[i - 1].dy;
  }
  const std::size_t bytes = std::size_t(next) * sizeof(double);
  if (bytes > SmallNetwork::kMaxBytes) {
    return "SmallNetwork: the network's values on a batch of " + std::to_string(rows) +
           " rows take " + std::to_string(bytes) + " bytes, more than the " +
           std::to_string(SmallNetwork::kMaxBytes) + " it keeps in the L1 cache";
  }
  plan.steps = nullptr;  // set once the steps stop moving
  plan.step_count = Index(steps.size());
  return "";
}

// The bytes lay_out() asks for: the last block's end.
Index buffer_size(const std::vector<Step>& steps, const Plan& plan) {
  return round_up(steps.back().dy + steps.back().outputs * plan.stride, kLine);
}

}  // namespace

std::string SmallNetwork::refusal(const Sequential<double>& network, Index rows) {
  std::vector<Step> steps;
  Plan plan;
  return lay_out(network, rows, steps, plan);
}

SmallNetwork::SmallNetwork(Sequential<double>& network, SmallLoss loss, double learning_rate,
                           ConstMatrixRef<double> inputs, ConstMatrixRef<double> targets)
    : state_(std::make_unique<State>(State{network, loss, {}, {}, {}, {}, targets, best_loop()})) {
  Sgd<double>{learning_rate};  // refuses a learning rate as the general path's optimizer does
  network.check_inputs(inputs.cols());
  const Index rows = inputs.rows();
  if (targets.rows() != rows || targets.cols() != network.outputs()) {
    throw std::invalid_argument("SmallNetwork: " + std::to_string(rows) + " rows of inputs need " +
                                std::to_string(rows) + "x" + std::to_string(network.outputs()) +
                                " targets, got " + std::to_string(targets.rows()) + "x" +
                                std::to_string(targets.cols()));
  }
  State& state = *state_;
  Plan& plan = state.plan;
  const std::string why = lay_out(network, rows, state.steps, plan);
  if (!why.empty()) throw std::invalid_argument(why);
  plan.steps = state.steps.data();
  plan.mean = loss == SmallLoss::mean_squared_error;
  plan.negative_lr = -learning_rate;  // as Sgd: T(-learning_rate())
  state.values.assign(std::size_t(buffer_size(state.steps, plan)), 0.0);
  state.output = Matrix<double>::Zero(rows, network.outputs());

  double* values = state.values.data();
  std::copy_n(network.parameters().data(), plan.parameter_count, values + plan.parameters);
  const Index first_x = state.steps.front().x;
  for (Index b = 0; b < rows; ++b) {
    for (Index p = 0; p < inputs.cols(); ++p)
      values[first_x + p * plan.stride + b] = inputs(b, p);
    for (Index j = 0; j < targets.cols(); ++j)
      values[plan.targets + j * plan.stride + b] = targets(b, j);
  }
}

SmallNetwork::~SmallNetwork() = default;
SmallNetwork::SmallNetwork(SmallNetwork&&) noexcept = default;

void SmallNetwork::train(std::int64_t iterations) {
  State& state = *state_;
  const Plan& plan = state.plan;
  double* values = state.values.data();
  state.loop(plan, values, iterations);
  std::copy_n(values + plan.parameters, plan.parameter_count, state.network.parameters().data());
  const Step& last = state.steps.back();
  for (Index b = 0; b < plan.rows; ++b) {
    for (Index j = 0; j < last.outputs; ++j)
      state.output(b, j) = values[last.y + j * plan.stride + b];
  }
}

ConstMatrixView<double> SmallNetwork::output() const {
  return {state_->output.data(), state_->output.rows(), state_->output.cols()};
}

double SmallNetwork::loss() const {
  if (state_->loss == SmallLoss::sum_squared_error) {
    return SumSquaredError<double>().forward(state_->output, state_->targets);
  }
  return MeanSquaredError<double>().forward(state_->output, state_->targets);
}

}  // namespace scratchnet
