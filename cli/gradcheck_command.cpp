#include "gradcheck_command.hpp"

#include <cmath>
#include <cstdio>

#include "flag_values.hpp"
#include "scratchnet/init/initializer.hpp"
#include "scratchnet/model/layer_spec.hpp"
#include "scratchnet/training/factories.hpp"
#include "scratchnet/training/gradient_check.hpp"
#include "setting_flags.hpp"

namespace scratchnet::cli {
namespace {

constexpr double kKink = 0.05;  // inputs this close to 0 move away from ReLU's kink

}  // namespace

GradcheckCommand::GradcheckCommand(CLI::App& parent)
    : Command(parent, "gradcheck",
              "Check a network's backpropagation against central finite differences (float64)") {
  add_value("--layers", layers_, "SPEC", "The network, as train takes it")->required();
  add_value("--loss", loss_, "ce|bce|mse|sse", "The loss whose gradient is checked");
  add_value("--inputs", inputs_, "N", "Input features");
  add_value("--input-shape", input_shape_, "C,H,W",
            "The shape of one input sample, for a network of convolutions and pools (instead of "
            "--inputs)");
  add_value("--batch", batch_, "N", "Rows in the random batch");
  add_value("--seed", seed_, "N", "Seed for the weights, inputs and targets");
  command_->footer(
      "Each tensor's worst relative error is printed, and its worst error in units of the "
      "finite difference's own error bound (truncation and rounding, element by element). "
      "Exit status 0 when every error is within its bound, 1 otherwise.");
}

GradcheckCommand::Settings GradcheckCommand::settings_from_flags() const {
  if (loss_ != "ce" && loss_ != "bce" && loss_ != "mse" && loss_ != "sse") {
    throw FlagError("--loss", "expected one of ce, bce, mse, sse, got '" + loss_ + "'");
  }
  Settings settings;
  const Index inputs = parse_integer("--inputs", inputs_, 1, 100000);
  if (input_shape_.empty()) {
    settings.input_shape = {inputs};
  } else {
    const Shape shape = parse_shape("--input-shape", input_shape_);
    if (shape.elements() > 100000)
      throw FlagError("--input-shape", "has more than 100000 elements: " + shape.text());
    settings.input_shape = shape.dims();
  }
  settings.batch = parse_integer("--batch", batch_, 1, 10000);
  settings.seed = std::uint32_t(parse_integer("--seed", seed_, 0, 4294967295));
  settings.layers = parse_layers_flag(layers_);
  try {
    make_layers<double>(settings.layers, Shape(settings.input_shape));  // no parameters yet
  } catch (const std::invalid_argument& error) {
    throw FlagError("--layers", error.what());
  }
  return settings;
}

void GradcheckCommand::run(std::ostream& out) {
  const Settings settings = settings_from_flags();
  const Index batch = settings.batch;
  Random random(settings.seed);
  Sequential<double> model = build_model<double>(settings.layers, Shape(settings.input_shape));
  const Index inputs = model.inputs();
  initialize(model, Initializer::torch_default, random);

  Matrix<double> input(batch, inputs);
  for (double& x : input.reshaped()) {
    x = 2 * random.uniform() - 1;
    if (std::abs(x) < kKink) x = x < 0 ? -kKink : kKink;
  }
  const Task task = training::task_of_loss(loss_);
  Matrix<double> target(batch, task == Task::multiclass ? 1 : model.outputs());
  for (double& y : target.reshaped()) {
    y = task == Task::multiclass ? double(random.at_most(std::uint64_t(model.outputs() - 1)))
        : task == Task::binary   ? double(random.at_most(1))
                                 : random.normal();
  }
  auto loss = training::make_loss<double>(loss_);
  double worst = 0, worst_ratio = 0;
  char line[160];
  for (const TensorError& error : check_gradients(model, *loss, input, target)) {
    std::snprintf(line, sizeof line, "%-12s %.3e  %.3f of bound\n", error.tensor.c_str(),
                  error.relative_error, error.bound_ratio);
    out << line;
    worst = std::max(worst, error.relative_error);
    worst_ratio = std::max(worst_ratio, error.bound_ratio);
  }
  const bool passed = worst_ratio <= 1;
  std::snprintf(line, sizeof line,
                ": worst relative error %.3g, worst error %.3g of the finite difference's bound\n",
                worst, worst_ratio);
  out << (passed ? "passed" : "FAILED") << line;
  if (!passed) throw std::runtime_error("gradient check failed");
}

}  // namespace scratchnet::cli
