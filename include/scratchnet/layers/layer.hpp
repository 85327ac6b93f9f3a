#pragma once
// The layer contract, small and uniform:
//   forward(input)     keeps what backward needs, returns the output    [batch, in] -> [batch, out]
//   backward(doutput)  returns dinput, ADDS into parameter gradients    [batch, out] -> [batch, in]
// `in` and `out` are the elements of a sample's shape (shape.hpp): an image batch
// [batch, C·H·W] is NCHW, and output_shape() says how the layer maps one sample's shape to the
// next.
// Both take and return views: what a layer returns lives in the layer's own buffers until its
// next call, and those buffers grow to the largest batch and never shrink, so a training loop
// allocates nothing once it has seen its largest batch.
// A layer owns no parameter storage: the model binds it to its slice of the model's one flat
// buffer of values and one of gradients, in the order parameter_shapes() lists them.
// Nor does it own its buffers, the state it keeps that no optimizer trains (BatchNorm's running
// mean): the model binds it to its slices of the model's buffer arrays, in the order
// buffer_shapes() lists them.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "scratchnet/batch_buffer.hpp"
#include "scratchnet/kernels/thread_pool.hpp"
#include "scratchnet/layers/layer_description.hpp"
#include "scratchnet/matrix.hpp"
#include "scratchnet/sample_random.hpp"
#include "scratchnet/shape.hpp"

namespace scratchnet {

/// One parameter tensor of a layer: its PyTorch name ("weight", "bias") and row-major shape.
struct ParameterShape {
  std::string name;
  std::vector<Index> shape;
  /// The value every element starts at, under every initializer scheme and when the model adds
  /// the layer (BatchNorm's weight 1, bias 0, as torch resets them); no random number is drawn
  /// for it, so the other tensors' draws stay where they were. Unset: the scheme decides (a
  /// tensor of two or more dimensions is a weight, one of one dimension a bias).
  std::optional<double> initial_value = std::nullopt;

  /// Number of scalars in the tensor.
  Index size() const;
};

/// How a buffer's elements are kept.
enum class BufferType {
  /// The model's scalar type T, in the model's floating buffer; F32 or F64 in a file.
  floating,
  /// std::int64_t, in the model's integer buffer (a count, as torch's num_batches_tracked); I64
  /// in a file. Counts are kept apart from T so that a float model counts past 2^24 exactly.
  int64,
};

/// One buffer tensor of a layer: its PyTorch name ("running_mean"), row-major shape and type.
struct BufferShape {
  std::string name;
  std::vector<Index> shape;
  BufferType type = BufferType::floating;
  /// The value every element starts at when the model adds the layer (BatchNorm's running_var
  /// 1); unset: 0.
  std::optional<double> initial_value = std::nullopt;

  /// Number of elements in the tensor.
  Index size() const;
};

template <typename T>
class Layer {
 public:
  virtual ~Layer() = default;

  /// The layer's kind and attributes (layer_description.hpp): what it takes to build it
  /// again.
  virtual LayerDescription describe() const = 0;

  /// The layer's kind, as its torch.nn class is named ("Linear", "Sigmoid"): describe().kind.
  std::string name() const { return describe().kind; }

  /// The shape of a sample this layer outputs when given samples of shape `input`. Throws
  /// std::invalid_argument when the layer cannot take that shape. Default: the same shape, as
  /// for a layer that works element by element.
  virtual Shape output_shape(const Shape& input) const { return input; }

  /// The parameter tensors, in the order they sit in the flat buffers. Default: none.
  virtual std::vector<ParameterShape> parameter_shapes() const { return {}; }

  /// Points the layer at its slice of the model's flat buffers (values, gradients), which hold
  /// the tensors of parameter_shapes() back to back. Called again whenever the buffers move.
  virtual void bind_parameters(T* /*values*/, T* /*gradients*/) {}

  /// The buffer tensors: state that is saved and restored with the model but never trained
  /// (no gradient, no optimizer update, no weight decay). Default: none.
  virtual std::vector<BufferShape> buffer_shapes() const { return {}; }

  /// Points the layer at its slices of the model's buffers: `values` holds the floating tensors
  /// of buffer_shapes() back to back, `integers` the int64 ones, each list in its order. Called
  /// again whenever the buffers move. New buffers start at their initial_value, else zero.
  virtual void bind_buffers(T* /*values*/, std::int64_t* /*integers*/) {}

  /// Training mode: layers that are random while training (Dropout) draw from `random`, whose
  /// SampleRandom must outlive the training. Layers start in evaluation mode.
  virtual void train(SampleStream /*random*/) {}

  /// Evaluation mode: every layer is deterministic (Dropout is the identity).
  virtual void eval() {}

  /// Lets the layer's matrix products run on `pool` (nullptr: the calling thread only), which
  /// must outlive its use. Results do not depend on it.
  virtual void use_threads(kernels::ThreadPool* /*pool*/) {}

  /// [batch, in] -> [batch, out]. What `input` views must stay unchanged until backward().
  virtual ConstMatrixView<T> forward(ConstMatrixView<T> input) = 0;

  /// [batch, out] -> [batch, in]: dloss/dinput from dloss/doutput; adds into the gradients.
  virtual ConstMatrixView<T> backward(ConstMatrixView<T> doutput) = 0;

  /// backward() for a layer whose input gradient nobody needs (the network's first layer with
  /// parameters): adds the same parameter gradients, and may skip computing dinput.
  virtual void backward_parameters(ConstMatrixView<T> doutput) { backward(doutput); }
};

}  // namespace scratchnet
