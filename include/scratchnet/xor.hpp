#pragma once
// Stage 1 of the brief: the seed notebook's network trained on XOR, number for number.
//   4 rows of XOR [4, 2] -> Dense(2, hidden, no bias) -> Sigmoid -> Dense(hidden, 1, no bias)
//   -> Sigmoid -> [4, 1], trained full-batch by gradient descent on the sum of squared errors,
//   in float64, from weights drawn as np.random.rand draws them after np.random.seed(seed).
//
// The network is a Sequential of Dense and Sigmoid layers, trained with SumSquaredError and Sgd;
// train_xor runs those steps through SmallNetwork (model/small_network.hpp), which gives the
// same bits without the per-layer calls (docs/performance.md, "Stage 1 XOR", says why), and
// train_xor_sequential through the layers themselves, as the reference.

#include <cstdint>

#include "scratchnet/matrix.hpp"
#include "scratchnet/model/sequential.hpp"
#include "scratchnet/random.hpp"

namespace scratchnet {

/// The seed used when none is given; the notebook itself never seeds.
inline constexpr std::uint32_t default_xor_seed = 0;

/// The largest iteration count and hidden size a front end accepts (the command line's --iterations
/// and --hidden, Python's scratchnet.xor): far past any use, and small enough to allocate.
inline constexpr std::int64_t max_xor_iterations = 1'000'000'000;
inline constexpr std::int64_t max_xor_hidden = 1'000'000;

struct XorOptions {
  std::uint32_t seed = default_xor_seed;
  std::int64_t iterations = 1500;
  Index hidden = 4;
  double learning_rate = 1.0;  // the seed's update is a plain `+=`: a step of 1
};

/// What one run produced. Weights are in the seed's orientation ([in, out]), as numpy holds them.
struct XorRun {
  Matrix<double> initial_weights1;  // [2, hidden]
  Matrix<double> initial_weights2;  // [hidden, 1]
  Matrix<double> final_weights1;    // [2, hidden], after the last update
  Matrix<double> final_weights2;    // [hidden, 1]
  Matrix<double> output;            // [4, 1], of the last feed-forward pass (the seed's nn.output)
  double loss = 0;                  // Σ (y − output)² of that pass
};

/// The four XOR input rows [4, 2]: 00, 01, 10, 11.
Matrix<double> xor_inputs();

/// Their targets [4, 1]: 0, 1, 1, 0.
Matrix<double> xor_targets();

/// The seed's network with `hidden` sigmoid units, its weights drawn from `random` in the seed's
/// order: np.random.rand(2, hidden), then np.random.rand(hidden, 1).
Sequential<double> make_xor_network(Index hidden, Random& random);

/// Trains the seed's network as the notebook does and reports the run: on SmallNetwork when it
/// takes the network (any hidden size whose values fit in its buffer), else as
/// train_xor_sequential() does. Both give the same bits. Throws std::invalid_argument if
/// options.iterations < 1, or for a learning rate Sgd refuses.
XorRun train_xor(const XorOptions& options);

/// train_xor() on the library's generic path, for any hidden size: a Sequential<double> from
/// make_xor_network(), SumSquaredError<double> and Sgd<double>, step after step.
XorRun train_xor_sequential(const XorOptions& options);

}  // namespace scratchnet
