#pragma once
// The activations that act on each element alone (Sigmoid, Tanh, ReLU, LeakyReLU, GELU):
//   forward:  y = f(x)                  input [batch, n] -> output [batch, n]
//   backward: dx = dy ⊙ f'(x)           f' written in x or in y, whichever the layer prefers
// A derived layer gives its math over plain arrays (activate, backpropagate); this base keeps x,
// y and dx and shares the arrays out over the thread pool. Code that keeps its own buffers
// (SmallNetwork) calls the very functions the layer calls, so it gets the layer's bits.

#include "scratchnet/layers/layer.hpp"

namespace scratchnet {

/// n values in a row, as an Eigen array, for the activations' math.
template <typename T>
using ArrayMap = Eigen::Map<Eigen::Array<T, Eigen::Dynamic, 1>>;
template <typename T>
using ConstArrayMap = Eigen::Map<const Eigen::Array<T, Eigen::Dynamic, 1>>;

/// A layer y = f(x) applied to each element on its own, its math over plain arrays.
template <typename T>
class ElementwiseActivation : public Layer<T> {
 public:
  /// y[i] = f(x[i]) for i < n. Each y[i] depends on x[i] alone, not on i or n.
  virtual void activate(const T* x, T* y, Index n) const = 0;

  /// dx[i] = dy[i] · f'(x[i]) for i < n, from the x and y = f(x) of the forward pass. Each dx[i]
  /// depends on x[i], y[i] and dy[i] alone.
  virtual void backpropagate(const T* x, const T* y, const T* dy, T* dx, Index n) const = 0;

  void use_threads(kernels::ThreadPool* pool) override { pool_ = pool; }

  /// [batch, n] -> [batch, n]. `input` must stay alive and unchanged until backward().
  ConstMatrixView<T> forward(ConstMatrixView<T> input) final;
  /// [batch, n] -> [batch, n]
  ConstMatrixView<T> backward(ConstMatrixView<T> doutput) final;

 private:
  kernels::ThreadPool* pool_ = nullptr;
  ConstMatrixView<T> input_{nullptr, 0, 0};  // x, for the layers whose f' needs it
  BatchBuffer<T> output_;                    // y
  BatchBuffer<T> dinput_;
};

}  // namespace scratchnet
