#pragma once
// SmallNetwork's training loop, in plain C++ that every instruction set's file compiles
// (small_network.cpp for the baseline, small_network_avx2.cpp, small_network_avx512.cpp), all
// without fused multiply-adds: the same operations in the same order, hence the same bits, on
// each. It includes no Eigen and nothing else inline that another file could share (a function
// compiled here for AVX-512 must never stand in for the baseline's), and everything in it has
// internal linkage.
//
// Layout: every [batch, width] quantity is stored feature-major, [width, stride], `stride` the
// rows rounded up to 4, so that each operation runs along the rows in lanes. The padding rows
// never mix with the real ones: every operation is lane by lane except the weight gradient's
// sum over rows, which reads the real rows only. Parameters are laid out as the model's flat
// buffer ([out, in] weights, then the bias); no gradient is kept, each is applied as computed.

#include <cstddef>
#include <cstdint>
#include <type_traits>

namespace scratchnet::small_network {

using Size = std::ptrdiff_t;  // Eigen::Index

/// Rows are padded to a multiple of this many lanes.
inline constexpr Size kLanes = 4;

/// An elementwise activation's array functions, called through the layer (an
/// ElementwiseActivation<double>), type-erased so that this header needs no Eigen.
struct ActivationCalls {
  const void* layer = nullptr;
  void (*activate)(const void* layer, const double* x, double* y, Size n) = nullptr;
  void (*backpropagate)(const void* layer, const double* x, const double* y, const double* dy,
                        double* dx, Size n) = nullptr;
  // The layer is Sigmoid<double>: the loop may compute it in place of the calls, as the layer
  // does (kernels::sigmoid, whose every path gives exp_lanes.hpp's bits, and dy ⊙ y(1 − y)).
  bool sigmoid = false;
};

/// One layer: a Dense layer (activation.layer == nullptr) or an elementwise activation.
struct Step {
  ActivationCalls activation;
  Size inputs = 0, outputs = 0;  // widths of x and y
  Size weight = -1, bias = -1;   // offsets of weight [out, in] and bias [out] in the parameters
  Size x = 0, y = 0, dy = 0;     // offsets of x, y and dloss/dy [width, stride] in the buffer
  Size dx = -1;                  // of dloss/dx, −1 when nothing needs it (backward stops there)
};

/// What the loop needs: the steps, where everything lies in the one buffer, the loss, the rate.
struct Plan {
  const Step* steps = nullptr;
  Size step_count = 0;
  Size rows = 0, stride = 0;
  Size parameters = 0, parameter_count = 0;  // offset and count of the parameters
  Size targets = 0;                          // offset of the targets [outputs, stride]
  bool mean = false;                         // MeanSquaredError (else SumSquaredError)
  double negative_lr = 0;
};

/// `iterations` training steps on `values`, the buffer the plan describes: for the baseline,
/// AVX2 and AVX-512 (call only on a CPU that has them).
void train_portable(const Plan& plan, double* values, std::int64_t iterations);
void train_avx2(const Plan& plan, double* values, std::int64_t iterations);
void train_avx512(const Plan& plan, double* values, std::int64_t iterations);

}  // namespace scratchnet::small_network
