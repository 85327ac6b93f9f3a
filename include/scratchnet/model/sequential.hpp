#pragma once
// A model that chains layers, torch.nn.Sequential. It is the one owner of the parameters:
// one flat buffer of values and one of gradients, each layer bound to its slice. So the
// optimizer is one loop over one array and saving a model is one write. Beside them it owns the
// layers' buffers (state that is saved but never trained): one flat buffer of T and one of
// std::int64_t, never handed to an optimizer.
//   forward:  [batch, inputs] -> layer 0 -> … -> layer n−1 -> [batch, outputs]
//   backward: dloss/doutput -> layer n−1 -> … -> layer 0 -> dloss/dinput

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "scratchnet/aligned_allocator.hpp"
#include "scratchnet/layers/layer.hpp"

namespace scratchnet {

/// A parameter tensor of a model: its torch.nn.Sequential name ("0.weight"), shape and offset
/// in the flat buffers.
struct NamedParameter {
  std::string name;
  std::vector<Index> shape;
  Index offset;
};

/// One parameter tensor of one layer, in place in the model's flat buffer.
template <typename T>
struct ParameterView {
  T* values = nullptr;       // row-major; nullptr when the layer has no such tensor
  std::vector<Index> shape;  // PyTorch's layout: a Linear weight is [out, in]
};

/// A buffer tensor of a model: its torch.nn.Sequential state-dict name ("3.running_mean"),
/// shape, type, and offset in the flat buffer of its type (buffers() or integer_buffers()).
struct NamedBuffer {
  std::string name;
  std::vector<Index> shape;
  BufferType type = BufferType::floating;
  Index offset;
};

/// Where one layer's state lies in the model's flat buffers: its slice of parameters() (and of
/// gradients(), laid out alike), of buffers() and of integer_buffers().
struct LayerSlices {
  Index parameter_offset = 0;
  Index parameter_count = 0;
  Index buffer_offset = 0;
  Index buffer_count = 0;
  Index integer_buffer_offset = 0;
  Index integer_buffer_count = 0;
};

template <typename T>
class Sequential {
 public:
  /// An empty model taking samples of shape `input_shape`: a number of features (784), or
  /// {channels, height, width} for images, stored as rows of input_shape.elements() values.
  explicit Sequential(Shape input_shape);

  Sequential(Sequential&&) noexcept = default;
  Sequential& operator=(Sequential&&) noexcept = default;

  /// Appends a layer, which must take samples of this model's current output shape (else
  /// std::invalid_argument). New parameters and buffers start at their initial_value
  /// (layer.hpp), else at zero; existing ones keep their values.
  void add(std::unique_ptr<Layer<T>> layer);

  /// Constructs a layer in place and appends it: model.emplace<Dense<T>>(2, 4).
  template <typename L, typename... Args>
  L& emplace(Args&&... args) {
    auto layer = std::make_unique<L>(std::forward<Args>(args)...);
    L& added = *layer;
    add(std::move(layer));
    return added;
  }

  /// Puts every layer in training mode, layer i drawing its randomness (Dropout) from stream i
  /// of `random`, which must outlive the training.
  void train(const SampleRandom& random) {
    for (std::size_t i = 0; i < layers_.size(); ++i)
      layers_[i]->train(random.stream(i));
  }

  /// Puts every layer in evaluation mode (deterministic; Dropout is the identity).
  void eval() {
    for (auto& layer : layers_)
      layer->eval();
  }

  /// Runs the layers' matrix products on `pool` (nullptr: the calling thread only), which must
  /// outlive its use; the results are bit for bit the same either way.
  void use_threads(kernels::ThreadPool* pool) {
    pool_ = pool;
    for (auto& layer : layers_)
      layer->use_threads(pool);
  }

  /// The pool given to use_threads(), for the work around the model (batches, optimizer).
  kernels::ThreadPool* thread_pool() const { return pool_; }

  /// [batch, inputs] -> [batch, outputs]. `input` (a Matrix, a view of one, or rows of one)
  /// must stay alive and unchanged until backward(); the result lives until the next forward().
  /// Throws std::invalid_argument for the wrong number of features.
  ConstMatrixView<T> forward(ConstMatrixRef<T> input);

  /// Throws std::invalid_argument unless a sample of `features` features fits inputs().
  void check_inputs(Index features) const;

  /// dloss/doutput [batch, outputs] -> dloss/dinput [batch, inputs]; adds into gradients().
  ConstMatrixView<T> backward(ConstMatrixRef<T> doutput);

  /// The backward pass training needs: adds into gradients() exactly as backward() does, but
  /// stops at the first layer with parameters and skips its input gradient, which nothing
  /// uses (for a first Dense layer of 784 inputs, that is a third of the step's arithmetic).
  void backward_parameters(ConstMatrixRef<T> doutput);

  /// The output of the last forward().
  ConstMatrixView<T> output() const { return output_; }

  /// Sets every gradient to zero, before a backward pass.
  void zero_gradients();

  /// All parameter values, back to back in named_parameters() order.
  VectorView<T> parameters() { return {parameters_.data(), Index(parameters_.size())}; }
  Eigen::Map<const Eigen::Matrix<T, Eigen::Dynamic, 1>> parameters() const {
    return {parameters_.data(), Index(parameters_.size())};
  }
  /// All gradients, laid out as parameters().
  VectorView<T> gradients() { return {gradients_.data(), Index(gradients_.size())}; }

  /// Every parameter tensor with its torch.nn.Sequential name, shape and offset.
  std::vector<NamedParameter> named_parameters() const;

  /// Layer `index`'s parameter tensor named `name` ("weight"), in place; values is nullptr when
  /// the layer has none of that name.
  ParameterView<T> parameter(std::size_t index, const std::string& name);

  /// The layers' floating buffers, back to back in named_buffers() order. Never trained.
  VectorView<T> buffers() { return {buffers_.data(), Index(buffers_.size())}; }
  /// The layers' integer buffers (counts), back to back in named_buffers() order.
  std::span<std::int64_t> integer_buffers() { return integer_buffers_; }

  /// Every buffer tensor with its torch.nn.Sequential name, shape, type and offset (in buffers()
  /// for a floating one, in integer_buffers() for an int64 one).
  std::vector<NamedBuffer> named_buffers() const;

  /// Visits every layer in order, as visit(index, layer, slices): the one walk over the layers
  /// and where their state lies, which everything that goes layer by layer shares.
  template <typename Visit>
  void for_each_layer(Visit&& visit) {
    for (std::size_t i = 0; i < layers_.size(); ++i)
      visit(i, *layers_[i], slices_[i]);
  }
  template <typename Visit>
  void for_each_layer(Visit&& visit) const {
    for (std::size_t i = 0; i < layers_.size(); ++i)
      visit(i, std::as_const(*layers_[i]), slices_[i]);
  }

  /// Where layer `index`'s parameters and buffers lie in the flat buffers.
  const LayerSlices& slices(std::size_t index) const { return slices_.at(index); }

  /// The index of the first layer with parameters, where a backward pass that only needs the
  /// parameter gradients stops; size() when no layer has any.
  std::size_t first_with_parameters() const {
    return first_with_parameters_ == SIZE_MAX ? layers_.size() : first_with_parameters_;
  }

  /// The shape of a sample the model takes, and of one it outputs.
  const Shape& input_shape() const { return input_shape_; }
  const Shape& output_shape() const { return output_shape_; }
  /// Values per input sample (input_shape().elements()), and per output sample.
  Index inputs() const { return input_shape_.elements(); }
  Index outputs() const { return output_shape_.elements(); }
  std::size_t size() const { return layers_.size(); }
  Layer<T>& layer(std::size_t index) { return *layers_.at(index); }
  const Layer<T>& layer(std::size_t index) const { return *layers_.at(index); }

 private:
  void bind_layer(std::size_t index);
  void start_at_initial_values(const LayerSlices& slices, const Layer<T>& layer);

  Shape input_shape_;
  Shape output_shape_;
  std::vector<std::unique_ptr<Layer<T>>> layers_;
  std::vector<LayerSlices> slices_;               // one per layer
  std::size_t first_with_parameters_ = SIZE_MAX;  // SIZE_MAX while no layer has any
  kernels::ThreadPool* pool_ = nullptr;
  AlignedVector<T> parameters_;  // on cache lines: the kernels read weights in place
  AlignedVector<T> gradients_;
  AlignedVector<T> buffers_;
  std::vector<std::int64_t> integer_buffers_;
  ConstMatrixView<T> output_{nullptr, 0, 0};
};

}  // namespace scratchnet
