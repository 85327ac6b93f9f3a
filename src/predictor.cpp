#include "scratchnet/predictor.hpp"

#include "scratchnet/layers/dense.hpp"

namespace scratchnet {

template <typename T>
Predictor<T>::Predictor(Sequential<T> model) : model_(std::move(model)) {
  model_.eval();
  for (std::size_t i = 0; i < model_.size(); ++i) {
    auto* dense = dynamic_cast<Dense<T>*>(&model_.layer(i));
    if (dense == nullptr) {
      input_major_.emplace_back();
      single_outputs_.emplace_back();
      continue;
    }
    const ConstMatrixView<T> weight(dense->weight().data(), dense->outputs(), dense->inputs());
    input_major_.emplace_back(std::in_place, weight,
                              dense->has_bias() ? dense->bias().data() : nullptr);
    single_outputs_.emplace_back(1, dense->outputs());
  }
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
