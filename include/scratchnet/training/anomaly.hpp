#pragma once
// Non-finite numbers during training: how they are found and reported.
//
// Every training step checks its loss and its gradients (one pass over the gradient buffer)
// before the optimizer touches the weights. When either is not finite, the step is run again
// layer by layer, checking every output and every gradient, to name the first layer where a
// NaN or an infinity appears; the weights are left as they were before the step. With
// TrainingOptions::detect_anomaly, every step runs that way (for debugging: slower).

#include <optional>
#include <stdexcept>
#include <string>

#include "scratchnet/losses/loss.hpp"
#include "scratchnet/model/sequential.hpp"

namespace scratchnet {

/// Where a non-finite value first appeared in one step.
struct NonFiniteValue {
  /// What held it: "input" (the batch), "output" (of a layer), "loss", "loss gradient",
  /// "gradient" (dloss/dinput of a layer), "parameter gradient" (of a layer), or "weights"
  /// (after an update).
  std::string quantity;
  std::optional<std::size_t> layer;  // counted from 0, as torch.nn.Sequential names them
  std::string layer_name;            // "Linear", "ReLU", …; empty without a layer
  int epoch = 0;                     // counted from 1; 0 when not known
  Index batch = 0;                   // counted from 1; 0 when not known

  /// "non-finite output of layer 2 (Linear) at epoch 3, batch 17".
  std::string describe() const;
};

/// Thrown when training meets a NaN or an infinity. The model's weights are those from before
/// the step that met it (or, for quantity "weights", the non-finite ones it made).
class NonFiniteError : public std::runtime_error {
 public:
  explicit NonFiniteError(NonFiniteValue value);
  const NonFiniteValue& value() const { return value_; }

 private:
  NonFiniteValue value_;
};

/// True when no element of `values` is a NaN or an infinity. One pass, spread over `pool`.
template <typename T>
bool all_finite(const T* values, Index count, kernels::ThreadPool* pool = nullptr);

/// What checked_forward_backward computed: the batch's loss and the model's output.
template <typename T>
struct CheckedStep {
  T loss;
  ConstMatrixView<T> output;
};

/// One forward and backward pass of `model` on a batch, layer by layer, with the input, every
/// output, the loss, every input gradient and every parameter gradient checked as it is made:
/// adds into model.gradients() exactly what forward → loss → backward_parameters would. Throws
/// NonFiniteError (epoch and batch unset) at the first non-finite value.
template <typename T>
CheckedStep<T> checked_forward_backward(Sequential<T>& model, Loss<T>& loss,
                                        ConstMatrixRef<T> features, ConstMatrixRef<T> targets);

}  // namespace scratchnet
