#include "scratchnet/sequential.hpp"

#include <algorithm>
#include <stdexcept>

namespace scratchnet {

template <typename T>
Sequential<T>::Sequential(Index inputs) : inputs_(inputs), outputs_(inputs) {
  if (inputs <= 0) throw std::invalid_argument("a model needs at least one input feature");
}

template <typename T>
void Sequential<T>::add(std::unique_ptr<Layer<T>> layer) {
  const Index outputs = layer->output_size(outputs_);
  Index parameter_count = 0;
  for (const ParameterShape& shape : layer->parameter_shapes())
    parameter_count += shape.size();

  offsets_.push_back(Index(parameters_.size()));
  if (parameter_count > 0 && first_with_parameters_ == SIZE_MAX) {
    first_with_parameters_ = layers_.size();
  }
  layer->use_threads(pool_);
  layers_.push_back(std::move(layer));
  outputs_ = outputs;
  const T* const old_parameters = parameters_.data();
  const T* const old_gradients = gradients_.data();
  parameters_.resize(parameters_.size() + parameter_count, T(0));
  gradients_.resize(parameters_.size(), T(0));
  // Only when the buffers moved do the earlier layers need binding again; they grow
  // geometrically, so building a network of n layers stays linear in n (it was quadratic:
  // loading a file of 36,000 layers took most of a minute).
  if (parameters_.data() != old_parameters || gradients_.data() != old_gradients) {
    bind_all_layers();
  } else {
    const std::size_t last = layers_.size() - 1;
    layers_[last]->bind_parameters(parameters_.data() + offsets_[last],
                                   gradients_.data() + offsets_[last]);
  }
}

template <typename T>
void Sequential<T>::bind_all_layers() {
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    layers_[i]->bind_parameters(parameters_.data() + offsets_[i], gradients_.data() + offsets_[i]);
  }
}

namespace {

// Layers take views of contiguous rows; a Ref may also hold a strided block (every other row).
template <typename T>
ConstMatrixView<T> contiguous_view(ConstMatrixRef<T> matrix, const char* what) {
  if (matrix.rows() > 1 && matrix.outerStride() != matrix.cols()) {
    throw std::invalid_argument(std::string(what) + " rows must be contiguous in memory");
  }
  return {matrix.data(), matrix.rows(), matrix.cols()};
}

}  // namespace

template <typename T>
void Sequential<T>::check_inputs(Index features) const {
  if (features != inputs_) {
    throw std::invalid_argument("model expects " + std::to_string(inputs_) +
                                " input features, got " + std::to_string(features));
  }
}

template <typename T>
ConstMatrixView<T> Sequential<T>::forward(ConstMatrixRef<T> input) {
  check_inputs(input.cols());
  ConstMatrixView<T> activation = contiguous_view<T>(input, "input");
  for (auto& layer : layers_)
    rebind(activation, layer->forward(activation));
  rebind(output_, activation);
  return activation;
}

template <typename T>
ConstMatrixView<T> Sequential<T>::backward(ConstMatrixRef<T> doutput) {
  ConstMatrixView<T> gradient = contiguous_view<T>(doutput, "doutput");
  for (auto it = layers_.rbegin(); it != layers_.rend(); ++it) {
    rebind(gradient, (*it)->backward(gradient));
  }
  return gradient;
}

template <typename T>
void Sequential<T>::zero_gradients() {
  kernels::run_slices(pool_, Index(gradients_.size()), 64 * 1024, [&](Index first, Index count) {
    std::fill_n(gradients_.data() + first, count, T(0));
  });
}

template <typename T>
void Sequential<T>::backward_parameters(ConstMatrixRef<T> doutput) {
  if (first_with_parameters_ == SIZE_MAX) return;
  ConstMatrixView<T> gradient = contiguous_view<T>(doutput, "doutput");
  for (std::size_t i = layers_.size() - 1; i > first_with_parameters_; --i)
    rebind(gradient, layers_[i]->backward(gradient));
  layers_[first_with_parameters_]->backward_parameters(gradient);
}

template <typename T>
std::vector<NamedParameter> Sequential<T>::named_parameters() const {
  std::vector<NamedParameter> named;
  for (std::size_t i = 0; i < layers_.size(); ++i) {
    Index offset = offsets_[i];
    for (const ParameterShape& shape : layers_[i]->parameter_shapes()) {
      named.push_back({std::to_string(i) + "." + shape.name, shape.shape, offset});
      offset += shape.size();
    }
  }
  return named;
}

template class Sequential<float>;
template class Sequential<double>;

}  // namespace scratchnet
