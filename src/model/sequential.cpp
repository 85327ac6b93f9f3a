#include "scratchnet/model/sequential.hpp"

#include <algorithm>
#include <stdexcept>

namespace scratchnet {

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
Sequential<T>::Sequential(Shape input_shape)
    : input_shape_(std::move(input_shape)), output_shape_(input_shape_) {}

template <typename T>
void Sequential<T>::add(std::unique_ptr<Layer<T>> layer) {
  Shape output_shape = layer->output_shape(output_shape_);
  LayerSlices slices;
  slices.parameter_offset = Index(parameters_.size());
  for (const ParameterShape& shape : layer->parameter_shapes())
    slices.parameter_count += shape.size();
  slices.buffer_offset = Index(buffers_.size());
  slices.integer_buffer_offset = Index(integer_buffers_.size());
  for (const BufferShape& shape : layer->buffer_shapes()) {
    (shape.type == BufferType::int64 ? slices.integer_buffer_count : slices.buffer_count) +=
        shape.size();
  }

  if (slices.parameter_count > 0 && first_with_parameters_ == SIZE_MAX) {
    first_with_parameters_ = layers_.size();
  }
  layer->use_threads(pool_);
  layers_.push_back(std::move(layer));
  slices_.push_back(slices);
  output_shape_ = std::move(output_shape);
  const T* const old_parameters = parameters_.data();
  const T* const old_gradients = gradients_.data();
  const T* const old_buffers = buffers_.data();
  const std::int64_t* const old_integers = integer_buffers_.data();
  parameters_.resize(parameters_.size() + slices.parameter_count, T(0));
  gradients_.resize(parameters_.size(), T(0));
  buffers_.resize(buffers_.size() + slices.buffer_count, T(0));
  integer_buffers_.resize(integer_buffers_.size() + slices.integer_buffer_count, 0);
  start_at_initial_values(slices, *layers_.back());
  // Only when the buffers moved do the earlier layers need binding again; they grow
  // geometrically, so building a network of n layers stays linear in n (it was quadratic:
  // loading a file of 36,000 layers took most of a minute).
  if (parameters_.data() != old_parameters || gradients_.data() != old_gradients ||
      buffers_.data() != old_buffers || integer_buffers_.data() != old_integers) {
    for (std::size_t i = 0; i < layers_.size(); ++i)
      bind_layer(i);
  } else {
    bind_layer(layers_.size() - 1);
  }
}

// The tensors that state where they start (BatchNorm's weight and running_var) start there; the
// rest stay at the zero they were created with.
template <typename T>
void Sequential<T>::start_at_initial_values(const LayerSlices& slices, const Layer<T>& layer) {
  Index offset = slices.parameter_offset;
  for (const ParameterShape& shape : layer.parameter_shapes()) {
    if (shape.initial_value)
      std::fill_n(parameters_.begin() + offset, shape.size(), T(*shape.initial_value));
    offset += shape.size();
  }
  Index floating = slices.buffer_offset, integer = slices.integer_buffer_offset;
  for (const BufferShape& shape : layer.buffer_shapes()) {
    if (shape.type == BufferType::int64) {
      if (shape.initial_value) {
        std::fill_n(integer_buffers_.begin() + integer, shape.size(),
                    std::int64_t(*shape.initial_value));
      }
      integer += shape.size();
    } else {
      if (shape.initial_value)
        std::fill_n(buffers_.begin() + floating, shape.size(), T(*shape.initial_value));
      floating += shape.size();
    }
  }
}

template <typename T>
void Sequential<T>::bind_layer(std::size_t index) {
  const LayerSlices& slices = slices_[index];
  layers_[index]->bind_parameters(parameters_.data() + slices.parameter_offset,
                                  gradients_.data() + slices.parameter_offset);
  layers_[index]->bind_buffers(buffers_.data() + slices.buffer_offset,
                               integer_buffers_.data() + slices.integer_buffer_offset);
}

template <typename T>
void Sequential<T>::check_inputs(Index features) const {
  if (features != inputs()) {
    throw std::invalid_argument("model expects " + std::to_string(inputs()) +
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
  for_each_layer([&](std::size_t index, const Layer<T>& layer, const LayerSlices& slices) {
    Index offset = slices.parameter_offset;
    for (const ParameterShape& shape : layer.parameter_shapes()) {
      named.push_back({std::to_string(index) + "." + shape.name, shape.shape, offset});
      offset += shape.size();
    }
  });
  return named;
}

template <typename T>
ParameterView<T> Sequential<T>::parameter(std::size_t index, const std::string& name) {
  Index offset = slices(index).parameter_offset;
  for (const ParameterShape& shape : layers_[index]->parameter_shapes()) {
    if (shape.name == name) return {parameters_.data() + offset, shape.shape};
    offset += shape.size();
  }
  return {};
}

template <typename T>
std::vector<NamedBuffer> Sequential<T>::named_buffers() const {
  std::vector<NamedBuffer> named;
  for_each_layer([&](std::size_t index, const Layer<T>& layer, const LayerSlices& slices) {
    Index floating = slices.buffer_offset, integer = slices.integer_buffer_offset;
    for (const BufferShape& shape : layer.buffer_shapes()) {
      Index& offset = shape.type == BufferType::int64 ? integer : floating;
      named.push_back({std::to_string(index) + "." + shape.name, shape.shape, shape.type, offset});
      offset += shape.size();
    }
  });
  return named;
}

template class Sequential<float>;
template class Sequential<double>;

}  // namespace scratchnet
