#pragma once
// A fully connected layer, torch.nn.Linear:  output = input · weightᵀ + bias
//   input [batch, in], weight [out, in], bias [out], output [batch, out]

#include "scratchnet/layers/layer.hpp"

namespace scratchnet {

/// Whether a Dense layer adds a bias vector.
enum class Bias { none, add };

template <typename T>
class Dense final : public Layer<T> {
 public:
  /// A layer from `inputs` features to `outputs` features; its parameters are bound later.
  Dense(Index inputs, Index outputs, Bias bias = Bias::add);

  /// Linear(in_features, out_features, bias)
  LayerDescription describe() const override;
  /// [in] -> [out]; an image must be flattened first, as for torch.nn.Linear.
  Shape output_shape(const Shape& input) const override;
  std::vector<ParameterShape> parameter_shapes() const override;
  void bind_parameters(T* values, T* gradients) override;
  void use_threads(kernels::ThreadPool* pool) override { pool_ = pool; }

  ConstMatrixView<T> forward(ConstMatrixView<T> input) override;
  ConstMatrixView<T> backward(ConstMatrixView<T> doutput) override;
  void backward_parameters(ConstMatrixView<T> doutput) override;

  Index inputs() const { return inputs_; }
  Index outputs() const { return outputs_; }
  bool has_bias() const { return bias_ == Bias::add; }

  /// [out, in]
  MatrixView<T> weight() { return {values_, outputs_, inputs_}; }
  /// [out]; empty when the layer has no bias.
  VectorView<T> bias() { return {values_ + outputs_ * inputs_, has_bias() ? outputs_ : 0}; }
  /// dloss/dweight, [out, in]
  MatrixView<T> dweight() { return {gradients_, outputs_, inputs_}; }
  /// dloss/dbias, [out]; empty when the layer has no bias.
  VectorView<T> dbias() { return {gradients_ + outputs_ * inputs_, has_bias() ? outputs_ : 0}; }

 private:
  Index inputs_;
  Index outputs_;
  Bias bias_;
  T* values_ = nullptr;
  T* gradients_ = nullptr;
  kernels::ThreadPool* pool_ = nullptr;
  ConstMatrixView<T> input_{nullptr, 0, 0};  // kept by forward for the weight gradient
  BatchBuffer<T> output_;
  BatchBuffer<T> dinput_;
};

}  // namespace scratchnet
