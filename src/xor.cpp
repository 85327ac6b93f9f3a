#include "scratchnet/xor.hpp"

#include <stdexcept>

#include "scratchnet/init/initializer.hpp"
#include "scratchnet/kernels/cpu.hpp"
#include "scratchnet/kernels/exp.hpp"
#include "scratchnet/layers/dense.hpp"
#include "scratchnet/layers/sigmoid.hpp"
#include "scratchnet/losses/sum_squared_error.hpp"
#include "scratchnet/optimizers/sgd.hpp"

// The AVX-512 lanes of exp, for the AVX-512 loop below; see there for the pragmas.
#if defined(__x86_64__)
#pragma GCC push_options
#pragma GCC target("avx512f")
#pragma GCC optimize("fp-contract=off")
#include "kernels/exp_lanes_avx512.hpp"
#pragma GCC pop_options
#endif

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
Matrix<double> seed_orientation(Layer<double>& dense_layer) {
  return dynamic_cast<Dense<double>&>(dense_layer).weight().transpose();
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

// ---- The same loop on AVX-512 -----------------------------------------------------------------
//
// Every value of an iteration fits in registers, so the loop never touches memory. A [4, 4]
// quantity of the hidden layer (layer1, dz1) takes two registers of eight lanes, `half` 0 for
// hidden units 0 and 1, `half` 1 for units 2 and 3; lane 4·u' + r holds row r of unit 2·half + u'.
// Everything else is laid out to meet it lane for lane, so that products need no shuffles:
//   a per-row value ([4, 1]: X's columns, y, the output, dz2) is [r0 r1 r2 r3 | r0 r1 r2 r3];
//   a per-unit value (the weights) is [u u u u | u+1 u+1 u+1 u+1], one register per half.
// Only the sums over units (the output) and over rows (the weight gradients) shuffle.
//
// This code must round as the portable loop does: it is compiled for AVX-512F with no multiply
// and add fused into one rounding (GCC fuses them by default once the target has FMA
// instructions). exp_avx512.cpp gets the same two settings as per-file flags; this loop shares
// its file with the portable one, so pragmas set them for this region alone. test_xor checks
// the result bit for bit against the portable loop, so a compiler that fused anyway would fail.
#if defined(__x86_64__)
#pragma GCC push_options
#pragma GCC target("avx512f")
#pragma GCC optimize("fp-contract=off")
namespace {

using Lanes = __m512d;  // eight doubles; GCC gives it + − * / lane by lane, scalars broadcast

Lanes broadcast_units(double unit_a, double unit_b) {
  return _mm512_set_pd(unit_b, unit_b, unit_b, unit_b, unit_a, unit_a, unit_a, unit_a);
}

using LaneIndices = __v8di;  // for __builtin_shuffle: result lane i = v[indices[i]]

// Row r of every unit, in all four row lanes of that unit.
template <int r>
Lanes row(Lanes v) {
  return __builtin_shuffle(v, LaneIndices{r, r, r, r, 4 + r, 4 + r, 4 + r, 4 + r});
}

// Σ_r v[r] per unit, rows in order from 0, in every lane of the unit.
Lanes sum_rows(Lanes v) {
  return Lanes{} + row<0>(v) + row<1>(v) + row<2>(v) + row<3>(v);
}

// The four row lanes of the first (second) unit of `v`, in both halves: as a per-row value.
Lanes first_unit(Lanes v) {
  return __builtin_shuffle(v, LaneIndices{0, 1, 2, 3, 0, 1, 2, 3});
}
Lanes second_unit(Lanes v) {
  return __builtin_shuffle(v, LaneIndices{4, 5, 6, 7, 4, 5, 6, 7});
}

// Inlined, so that the two halves' sigmoids interleave and no register is spilled around a call.
[[gnu::always_inline]] inline Lanes sigmoid(Lanes x, const kernels::exp_detail::Table& table) {
  return kernels::exp_detail::sigmoid_active_lanes(x, table, /*active=*/0xff);
}

std::array<double, kRows> train_seed_xor_avx512(SeedXorWeights& weights, std::int64_t iterations,
                                                double learning_rate) {
  const kernels::exp_detail::Table table;
  const Lanes x0 = {0, 0, 1, 1, 0, 0, 1, 1};  // X[r][0]
  const Lanes x1 = {0, 1, 0, 1, 0, 1, 0, 1};  // X[r][1]
  const Lanes y = {0, 1, 1, 0, 0, 1, 1, 0};
  const double negative_lr = -learning_rate;
  Lanes weights1_0[2], weights1_1[2], weights2[2];  // weights1[0][u], weights1[1][u], weights2[u]
  for (int half = 0; half < 2; ++half) {
    const int u = 2 * half;
    weights1_0[half] = broadcast_units(weights.weights1[0][u], weights.weights1[0][u + 1]);
    weights1_1[half] = broadcast_units(weights.weights1[1][u], weights.weights1[1][u + 1]);
    weights2[half] = broadcast_units(weights.weights2[u], weights.weights2[u + 1]);
  }

  Lanes output = {};
  for (std::int64_t iteration = 0; iteration < iterations; ++iteration) {
    // feedforward: layer1 = σ(X · weights1)                      [4, 2] · [2, 4] -> [4, 4]
    Lanes layer1[2];
    for (int half = 0; half < 2; ++half)
      layer1[half] = sigmoid(Lanes{} + x0 * weights1_0[half] + x1 * weights1_1[half], table);
    //              output = σ(layer1 · weights2)                 [4, 4] · [4, 1] -> [4, 1]
    const Lanes products0 = layer1[0] * weights2[0], products1 = layer1[1] * weights2[1];
    output = sigmoid(Lanes{} + first_unit(products0) + second_unit(products0) +
                         first_unit(products1) + second_unit(products1),
                     table);
    // backprop: dz2 = 2(ŷ − y) ⊙ ŷ(1 − ŷ)                         [4, 1]
    const Lanes dz2 = (2.0 * (output - y)) * (output * (1.0 - output));
    for (int half = 0; half < 2; ++half) {
      // dz1 = (dz2 · weights2ᵀ) ⊙ layer1(1 − layer1)             [4, 4], before weights2 moves
      const Lanes dz1 = (Lanes{} + dz2 * weights2[half]) * (layer1[half] * (1.0 - layer1[half]));
      // weights2 −= lr · layer1ᵀ · dz2;  weights1 −= lr · Xᵀ · dz1
      weights2[half] = weights2[half] + negative_lr * sum_rows(dz2 * layer1[half]);
      weights1_0[half] = weights1_0[half] + negative_lr * sum_rows(dz1 * x0);
      weights1_1[half] = weights1_1[half] + negative_lr * sum_rows(dz1 * x1);
    }
  }

  for (int half = 0; half < 2; ++half) {
    for (int u = 0; u < 2; ++u) {  // lane 4·u holds unit 2·half + u
      weights.weights1[0][2 * half + u] = weights1_0[half][4 * u];
      weights.weights1[1][2 * half + u] = weights1_1[half][4 * u];
      weights.weights2[2 * half + u] = weights2[half][4 * u];
    }
  }
  return {output[0], output[1], output[2], output[3]};
}

}  // namespace
#pragma GCC pop_options
#endif  // defined(__x86_64__)

std::array<double, 4> train_seed_xor(SeedXorWeights& weights, std::int64_t iterations,
                                     double learning_rate, SeedXorKernel kernel) {
  require_iterations(iterations);
  const bool has_avx512 = kernels::cpu_has_avx512();
  if (kernel == SeedXorKernel::avx512 && !has_avx512) {
    throw std::invalid_argument("the seed's XOR loop on AVX-512: this CPU has no AVX-512F");
  }
#if defined(__x86_64__)
  if (kernel != SeedXorKernel::portable && has_avx512) {
    return train_seed_xor_avx512(weights, iterations, learning_rate);
  }
#endif
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
  run.initial_weights1 = seed_orientation(network.layer(0));
  run.initial_weights2 = seed_orientation(network.layer(2));
  for (std::int64_t iteration = 0; iteration < options.iterations; ++iteration) {
    network.zero_gradients();
    run.loss = loss.forward(network.forward(inputs), targets);
    network.backward_parameters(loss.backward());  // no one needs dloss/dinput
    sgd.step(network.parameters(), network.gradients());
  }
  run.output = network.output();  // the update changes weights, not the last forward's output
  run.final_weights1 = seed_orientation(network.layer(0));
  run.final_weights2 = seed_orientation(network.layer(2));
  return run;
}

XorRun train_xor(const XorOptions& options) {
  if (options.hidden != kHidden) return train_xor_sequential(options);
  require_iterations(options.iterations);

  // The initial weights as the Sequential path draws them, then the fixed-size loop.
  Random random(options.seed);
  Sequential<double> network = make_xor_network(options.hidden, random);
  XorRun run;
  run.initial_weights1 = seed_orientation(network.layer(0));
  run.initial_weights2 = seed_orientation(network.layer(2));
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
