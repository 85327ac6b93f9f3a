#pragma once
// The optimizer contract: one update of the model's ONE flat parameter buffer θ from its ONE flat
// gradient buffer ∇θ (Sequential::parameters() and gradients()), elementwise, as PyTorch 1.13's
// torch.optim computes it for a model whose parameters form one param group:
//   step t = 1, 2, …:   θ ← update(θ, ∇θ, state, lr)      (each optimizer's header gives its rule)
// Numbers follow torch: hyperparameters are doubles (torch's are Python floats), and the scalars
// derived from them (1 − β, bias corrections, step sizes) are computed in double, as torch
// computes them in Python, then rounded to T once; every elementwise operation runs in T, in
// torch's order. The state (exp_avg, momentum_buffer, …) is one buffer per name, laid out as θ,
// allocated zeroed by the first step() and never again: later steps allocate nothing.

#include <cstdint>
#include <string>
#include <vector>

#include "scratchnet/kernels/thread_pool.hpp"
#include "scratchnet/matrix.hpp"

namespace scratchnet {

/// One named state buffer of an optimizer, laid out as the parameters. `values` views the
/// optimizer's own storage: reading it saves the state, assigning to it restores the state.
template <typename T>
struct OptimizerState {
  std::string name;  // torch's state key: "momentum_buffer", "exp_avg", "exp_avg_sq", …
  VectorView<T> values;
};

template <typename T>
class Optimizer {
 public:
  virtual ~Optimizer() = default;

  /// The optimizer's kind, as its torch.optim class is named ("SGD", "Adam").
  virtual std::string name() const = 0;

  /// One update of every parameter from its gradient, with the current learning rate. Both
  /// views have the same length, which must not change after the first step. Throws
  /// std::invalid_argument on a length mismatch; allocates only on the first step.
  void step(VectorView<T> parameters, VectorView<T> gradients);

  /// Lets step() update slices of the parameters on `pool` (nullptr: the calling thread only),
  /// which must outlive its use. The update is elementwise: the same bits either way.
  void use_threads(kernels::ThreadPool* pool) { pool_ = pool; }

  /// The learning rate the next step() uses (torch's param_group['lr']).
  double learning_rate() const { return learning_rate_; }
  /// Changes the learning rate from the next step() on, as a schedule does between steps.
  /// Throws std::invalid_argument unless it is finite and >= 0.
  void set_learning_rate(double learning_rate);

  /// Steps taken so far (torch's state['step']); Adam's bias correction uses it.
  std::int64_t steps() const { return steps_; }
  /// Restores the step count from a checkpoint. Throws std::invalid_argument if negative.
  void set_steps(std::int64_t steps);

  /// Every state buffer by name, in a fixed order per optimizer; empty before the first step()
  /// or allocate_state(). To restore a checkpoint: allocate_state(n), assign each values,
  /// set_steps(saved steps), set_learning_rate(saved lr).
  std::vector<OptimizerState<T>> state();

  /// Allocates the zeroed state buffers for `parameter_count` parameters, as the first step()
  /// does; nothing if they already have that size. Throws std::invalid_argument on another size.
  void allocate_state(Index parameter_count);

 protected:
  /// An optimizer stepping with `learning_rate` whose state is one buffer per name.
  Optimizer(double learning_rate, std::vector<std::string> state_names);

  /// Values [first, first + count) of the state buffer at `index` of the constructor's
  /// state_names, once allocated: the slice that goes with update()'s parameters.
  VectorView<T> state_buffer(std::size_t index, Index first, Index count);

  /// `value`, or std::invalid_argument naming `name` unless it is finite and >= 0.
  static double non_negative(double value, const char* name);

 private:
  /// The optimizer's rule, for the slice of the flat buffers that starts at `first`: one update
  /// at step steps() (already counting this one, 1-based). step() runs slices of a fixed size
  /// in parallel, so the rule must be elementwise, must not allocate and must not throw.
  virtual void update(VectorView<T> parameters, VectorView<T> gradients, Index first) = 0;

  double learning_rate_;
  std::int64_t steps_ = 0;
  std::vector<std::string> state_names_;
  bool allocated_ = false;
  Index state_size_ = 0;
  std::vector<std::vector<T>> buffers_;  // one per state name, state_size_ values each
  kernels::ThreadPool* pool_ = nullptr;
};

}  // namespace scratchnet
