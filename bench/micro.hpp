#pragma once
// The micro-benchmarks of scratchnet_microbench, registered in this order by its main():
//   peak/…      the measured fp32 FMA peak of 1 and 2 cores (micro_peak.cpp)
//   forward/…, dweight/…, dinput/…   the Fashion-MNIST network's matrix products, scratchnet's
//                kernels against OpenBLAS's cblas_sgemm (micro_matmul.cpp)
//   relu_…, sigmoid_…, softmax_ce…, sgd_momentum_step, adam_step, train_step/…   layers, the
//                loss, optimizers and one whole training step through the public API
//                (micro_layers.cpp)
//   exp_array/…, sigmoid_array/…   the float64 exp kernels on arrays, on the path they run
//                (micro_exp.cpp)
//   max_pool_forward/…, max_pool_backward/…   LeNet-5's max pools (micro_pooling.cpp)
//   conv/…       LeNet-5's convolutions, forward and backward (micro_conv.cpp)
// Every benchmark measures wall time (UseRealTime), since some run on several threads. Those
// that compute report GFLOPS, a rate counter: billions of floating-point operations per second.

#include <benchmark/benchmark.h>

#include <cstdint>

#include "scratchnet/matrix.hpp"
#include "scratchnet/random.hpp"

namespace scratchnet::bench {

void register_peak_benchmarks();
void register_matmul_benchmarks();
void register_layer_benchmarks();
void register_exp_benchmarks();
void register_pooling_benchmarks();
void register_conv_benchmarks();

/// Values in [−1, 1) drawn from a fixed seed.
inline Matrix<float> random_matrix(Index rows, Index cols, std::uint32_t seed) {
  Random random(seed);
  Matrix<float> matrix(rows, cols);
  for (Index i = 0; i < matrix.size(); ++i)
    matrix.data()[i] = float(random.uniform() * 2 - 1);
  return matrix;
}

/// A GFLOPS rate counter for `flops_per_iteration` FLOPs in each of the state's iterations.
inline benchmark::Counter gflops(const benchmark::State& state, double flops_per_iteration) {
  return benchmark::Counter(double(state.iterations()) * flops_per_iteration * 1e-9,
                            benchmark::Counter::kIsRate);
}

}  // namespace scratchnet::bench
