// The seed notebook's XOR network through scratchnet's C++ API: build, initialise, train, print.
#include <iostream>

#include "scratchnet/scratchnet.hpp"

using namespace scratchnet;

int main() {
  Random random(/*seed=*/0);  // np.random.seed(0)
  Sequential<double> network(/*inputs=*/2);
  auto& hidden = network.emplace<Dense<double>>(2, 4, Bias::none);
  network.emplace<Sigmoid<double>>();
  auto& last = network.emplace<Dense<double>>(4, 1, Bias::none);
  network.emplace<Sigmoid<double>>();
  init::numpy_uniform(hidden.weight(), random);  // np.random.rand(2, 4)
  init::numpy_uniform(last.weight(), random);    // np.random.rand(4, 1)

  const Matrix<double> x = xor_inputs(), y = xor_targets();
  SumSquaredError<double> loss;
  Sgd<double> sgd(/*learning_rate=*/1.0);
  Matrix<double> output;
  for (int i = 0; i < 1500; ++i) {
    network.zero_gradients();
    output = network.forward(x);  // the notebook's nn.output
    loss.forward(output, y);
    network.backward(loss.backward());
    sgd.step(network.parameters(), network.gradients());
  }
  std::cout << numpy_str(output) << "\n";
}
