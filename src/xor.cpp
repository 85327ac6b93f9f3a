#include "scratchnet/xor.hpp"

#include <stdexcept>

#include "scratchnet/init/initializer.hpp"
#include "scratchnet/layers/dense.hpp"
#include "scratchnet/layers/sigmoid.hpp"
#include "scratchnet/losses/sum_squared_error.hpp"
#include "scratchnet/model/small_network.hpp"
#include "scratchnet/optimizers/sgd.hpp"

namespace scratchnet {

Matrix<double> xor_inputs() {
  Matrix<double> inputs(4, 2);
  inputs << 0, 0, 0, 1, 1, 0, 1, 1;
  return inputs;
}

Matrix<double> xor_targets() {
  Matrix<double> targets(4, 1);
  targets << 0, 1, 1, 0;
  return targets;
}

Sequential<double> make_xor_network(Index hidden, Random& random) {
  Sequential<double> network(/*inputs=*/2);
  network.emplace<Dense<double>>(2, hidden, Bias::none);
  network.emplace<Sigmoid<double>>();
  network.emplace<Dense<double>>(hidden, 1, Bias::none);
  network.emplace<Sigmoid<double>>();
  initialize(network, Initializer::numpy_uniform, random);
  return network;
}

namespace {

void require_iterations(std::int64_t iterations) {
  if (iterations < 1) throw std::invalid_argument("iterations must be at least 1");
}

// The seed keeps weights as [in, out]; a Dense layer keeps torch's [out, in].
Matrix<double> seed_orientation(Sequential<double>& network, std::size_t layer) {
  const ParameterView<double> weight = network.parameter(layer, "weight");
  return ConstMatrixView<double>(weight.values, weight.shape[0], weight.shape[1]).transpose();
}

}  // namespace

XorRun train_xor_sequential(const XorOptions& options) {
  require_iterations(options.iterations);
  Random random(options.seed);
  Sequential<double> network = make_xor_network(options.hidden, random);
  const Matrix<double> inputs = xor_inputs();
  const Matrix<double> targets = xor_targets();
  SumSquaredError<double> loss;
  Sgd<double> sgd(options.learning_rate);

  XorRun run;
  run.initial_weights1 = seed_orientation(network, 0);
  run.initial_weights2 = seed_orientation(network, 2);
  for (std::int64_t iteration = 0; iteration < options.iterations; ++iteration) {
    network.zero_gradients();
    run.loss = loss.forward(network.forward(inputs), targets);
    network.backward_parameters(loss.backward());  // no one needs dloss/dinput
    sgd.step(network.parameters(), network.gradients());
  }
  run.output = network.output();  // the update changes weights, not the last forward's output
  run.final_weights1 = seed_orientation(network, 0);
  run.final_weights2 = seed_orientation(network, 2);
  return run;
}

XorRun train_xor(const XorOptions& options) {
  require_iterations(options.iterations);
  Random random(options.seed);
  Sequential<double> network = make_xor_network(options.hidden, random);
  const Matrix<double> inputs = xor_inputs();
  if (!SmallNetwork::refusal(network, inputs.rows()).empty()) return train_xor_sequential(options);

  XorRun run;
  run.initial_weights1 = seed_orientation(network, 0);
  run.initial_weights2 = seed_orientation(network, 2);
  SmallNetwork small(network, SmallLoss::sum_squared_error, options.learning_rate, inputs,
                     xor_targets());
  small.train(options.iterations);
  run.output = small.output();
  run.loss = small.loss();
  run.final_weights1 = seed_orientation(network, 0);
  run.final_weights2 = seed_orientation(network, 2);
  return run;
}

}  // namespace scratchnet
