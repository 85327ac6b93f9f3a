#include "scratchnet/xor.hpp"

#include <stdexcept>

#include "scratchnet/init/initializer.hpp"
#include "scratchnet/kernels/cpu.hpp"
#include "scratchnet/kernels/exp.hpp"
#include "scratchnet/layers/dense.hpp"
#include "scratchnet/layers/sigmoid.hpp"
#include "scratchnet/losses/sum_squared_error.hpp"
#include "scratchnet/optimizers/sgd.hpp"
#include "xor_avx512.hpp"

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

// ---- The seed's network at the seed's size, as plain arrays ----------------------------------
//
// Both loops below do, value by value, the arithmetic of the Sequential path: every sum starts
// from 0 (a zeroed gradient, or the first term of a product) and adds its terms in order, and
// every product groups its factors as Dense, Sigmoid, SumSquaredError and Sgd group them. That
// is why they keep a few operations that look idle (0 + a): those round -0 to +0, as the
// Sequential path does, so the two give the same bits.

constexpr int kRows = 4;    // the four XOR rows, the whole batch
constexpr int kHidden = 4;  // the seed's hidden units
constexpr double kInputs[kRows][2] = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};  // X [4, 2]
constexpr double kTargets[kRows] = {0, 1, 1, 0};                        // y [4, 1]

double sigmoid(double x) {
  return 1.0 / (1.0 + kernels::exp_reference(-x));
}

// The seed's loop one value at a time: the reference the AVX-512 loop equals bit for bit.
std::array<double, kRows> train_seed_xor_portable(SeedXorWeights& weights, std::int64_t iterations,
                                                  double learning_rate) {
  auto& weights1 = weights.weights1;  // [2, 4]
  auto& weights2 = weights.weights2;  // [4, 1]
  const double negative_lr = -learning_rate;
  std::array<double, kRows> output{};
  for (std::int64_t iteration = 0; iteration < iterations; ++iteration) {
    // feedforward: layer1 = σ(X · weights1)                      [4, 2] · [2, 4] -> [4, 4]
    double layer1[kRows][kHidden];
    for (int r = 0; r < kRows; ++r) {
      for (int u = 0; u < kHidden; ++u) {
        double z = 0;
        for (int i = 0; i < 2; ++i)
          z += kInputs[r][i] * weights1[i][u];
        layer1[r][u] = sigmoid(z);
      }
    }
    //              output = σ(layer1 · weights2)                 [4, 4] · [4, 1] -> [4, 1]
    for (int r = 0; r < kRows; ++r) {
      double z = 0;
      for (int u = 0; u < kHidden; ++u)
        z += layer1[r][u] * weights2[u];
      output[r] = sigmoid(z);
    }
    // backprop, for L = Σ (ŷ − y)², with σ' = σ(1 − σ):
    // dz2 = dL/d(layer1 · weights2) = 2(ŷ − y) ⊙ ŷ(1 − ŷ)        [4, 1]
    double dz2[kRows];
    for (int r = 0; r < kRows; ++r)
      dz2[r] = (2.0 * (output[r] - kTargets[r])) * (output[r] * (1.0 - output[r]));
    // dz1 = dL/d(X · weights1) = (dz2 · weights2ᵀ) ⊙ layer1(1 − layer1)    [4, 1] · [1, 4]
    double dz1[kRows][kHidden];
    for (int r = 0; r < kRows; ++r) {
      for (int u = 0; u < kHidden; ++u)
        dz1[r][u] = (0.0 + dz2[r] * weights2[u]) * (layer1[r][u] * (1.0 - layer1[r][u]));
    }
    // weights2 ← weights2 − lr · layer1ᵀ · dz2                    [4, 4]ᵀ · [4, 1] -> [4, 1]
    // (with lr 1, the seed's `weights2 += d_weights2`: its d_weights2 is −dL/dweights2)
    for (int u = 0; u < kHidden; ++u) {
      double dweight = 0;
      for (int r = 0; r < kRows; ++r)
        dweight += dz2[r] * layer1[r][u];
      weights2[u] = weights2[u] + negative_lr * dweight;
    }
    // weights1 ← weights1 − lr · Xᵀ · dz1                         [4, 2]ᵀ · [4, 4] -> [2, 4]
    for (int i = 0; i < 2; ++i) {
      for (int u = 0; u < kHidden; ++u) {
        double dweight = 0;
        for (int r = 0; r < kRows; ++r)
          dweight += dz1[r][u] * kInputs[r][i];
        weights1[i][u] = weights1[i][u] + negative_lr * dweight;
      }
    }
  }
  return output;
}

}  // namespace

std::array<double, 4> train_seed_xor(SeedXorWeights& weights, std::int64_t iterations,
                                     double learning_rate, SeedXorKernel kernel) {
  require_iterations(iterations);
  const bool has_avx512 = kernels::cpu_has_avx512();
  if (kernel == SeedXorKernel::avx512 && !has_avx512) {
    throw std::invalid_argument("the seed's XOR loop on AVX-512: this CPU has no AVX-512F");
  }
  if (kernel != SeedXorKernel::portable && has_avx512) {
    return train_seed_xor_avx512(weights, iterations, learning_rate);
  }
  return train_seed_xor_portable(weights, iterations, learning_rate);
}

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
  if (options.hidden != kHidden) return train_xor_sequential(options);
  require_iterations(options.iterations);

  // The initial weights as the Sequential path draws them, then the fixed-size loop.
  Random random(options.seed);
  Sequential<double> network = make_xor_network(options.hidden, random);
  XorRun run;
  run.initial_weights1 = seed_orientation(network, 0);
  run.initial_weights2 = seed_orientation(network, 2);
  SeedXorWeights weights;
  for (int u = 0; u < kHidden; ++u) {
    for (int i = 0; i < 2; ++i)
      weights.weights1[i][u] = run.initial_weights1(i, u);
    weights.weights2[u] = run.initial_weights2(u, 0);
  }

  const std::array<double, kRows> output =
      train_seed_xor(weights, options.iterations, options.learning_rate);

  run.output = Eigen::Map<const Matrix<double>>(output.data(), kRows, 1);
  run.loss = SumSquaredError<double>().forward(run.output, xor_targets());
  run.final_weights1.resize(2, kHidden);
  run.final_weights2.resize(kHidden, 1);
  for (int u = 0; u < kHidden; ++u) {
    for (int i = 0; i < 2; ++i)
      run.final_weights1(i, u) = weights.weights1[i][u];
    run.final_weights2(u, 0) = weights.weights2[u];
  }
  return run;
}

}  // namespace scratchnet
