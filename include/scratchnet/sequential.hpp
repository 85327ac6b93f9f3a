#pragma once
// A model that chains layers, torch.nn.Sequential. It is the one owner of the parameters:
// one flat buffer of values and one of gradients, each layer bound to its slice. So the
// optimizer is one loop over one array and saving a model is one write.
//   forward:  [batch, inputs] -> layer 0 -> … -> layer n−1 -> [batch, outputs]
//   backward: dloss/doutput -> layer n−1 -> … -> layer 0 -> dloss/dinput

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "scratchnet/aligned_allocator.hpp"
#include "scratchnet/layer.hpp"

namespace scratchnet {

/// A parameter tensor of a model: its torch.nn.Sequential name ("0.weight"), shape and offset
/// in the flat buffers.
struct NamedParameter {
  std::string name;
  std::vector<Index> shape;
  Index offset;
};

template <typename T>
class Sequential {
 public:
  /// An empty model taking `inputs` features per sample.
  explicit Sequential(Index inputs);

  Sequential(Sequential&&) noexcept = default;
  Sequential& operator=(Sequential&&) noexcept = default;

  /// Appends a layer; its input size must be this model's current output size. New parameters
  /// start at zero; existing ones keep their values.
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
  /// All gradients, laid out as parameters().
  VectorView<T> gradients() { return {gradients_.data(), Index(gradients_.size())}; }

  /// Every parameter tensor with its torch.nn.Sequential name, shape and offset.
  std::vector<NamedParameter> named_parameters() const;

  Index inputs() const { return inputs_; }
  Index outputs() const { return outputs_; }
  std::size_t size() const { return layers_.size(); }
  Layer<T>& layer(std::size_t index) { return *layers_.at(index); }

 private:
  void bind_all_layers();

  Index inputs_;
  Index outputs_;
  std::vector<std::unique_ptr<Layer<T>>> layers_;
  std::vector<Index> offsets_;  // where each layer's parameters start in the flat buffers
  std::size_t first_with_parameters_ = SIZE_MAX;
  kernels::ThreadPool* pool_ = nullptr;  // SIZE_MAX while no layer has any
  AlignedVector<T> parameters_;          // on cache lines: the kernels read weights in place
  AlignedVector<T> gradients_;
  ConstMatrixView<T> output_{nullptr, 0, 0};
};

}  // namespace scratchnet
