#include "scratchnet/model/predictor.hpp"

namespace scratchnet {

template <typename T>
Predictor<T>::Predictor(Sequential<T> model) : model_(std::move(model)) {
  model_.eval();
  // A Linear layer's products are what the input-major copy speeds up; its weight and bias are
  // read in place, through the model.
  model_.for_each_layer([&](std::size_t index, const Layer<T>& layer, const LayerSlices&) {
    const ParameterView<T> weight = model_.parameter(index, "weight");
    if (layer.name() != "Linear" || weight.values == nullptr) {
      input_major_.emplace_back();
      single_outputs_.emplace_back();
      return;
    }
    const Index outputs = weight.shape[0], inputs = weight.shape[1];  // [out, in]
    input_major_.emplace_back(std::in_place, ConstMatrixView<T>(weight.values, outputs, inputs),
                              model_.parameter(index, "bias").values);
    single_outputs_.emplace_back(1, outputs);
  });
}

template <typename T>
void Predictor<T>::use_threads(kernels::ThreadPool* pool) {
  pool_ = pool;
  model_.use_threads(pool);
}

template <typename T>
ConstMatrixView<T> Predictor<T>::forward(ConstMatrixRef<T> input) {
  if (input.rows() != 1) return model_.forward(input);
  model_.check_inputs(input.cols());
  ConstMatrixView<T> activation(input.data(), 1, input.cols());
  for (std::size_t i = 0; i < model_.size(); ++i) {
    if (input_major_[i]) {
      input_major_[i]->multiply(activation.data(), single_outputs_[i].data(), pool_);
      rebind(activation,
             ConstMatrixView<T>(single_outputs_[i].data(), 1, single_outputs_[i].cols()));
    } else {
      rebind(activation, model_.layer(i).forward(activation));
    }
  }
  return activation;
}

template class Predictor<float>;
template class Predictor<double>;

}  // namespace scratchnet
