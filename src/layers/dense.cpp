#include "scratchnet/layers/dense.hpp"

#include <stdexcept>
#include <string>

#include "scratchnet/kernels/matmul.hpp"

namespace scratchnet {

template <typename T>
Dense<T>::Dense(Index inputs, Index outputs, Bias bias)
    : inputs_(inputs), outputs_(outputs), bias_(bias) {
  if (inputs <= 0 || outputs <= 0) {
    throw std::invalid_argument("Dense layer needs positive sizes, got " + std::to_string(inputs) +
                                " -> " + std::to_string(outputs));
  }
}

template <typename T>
Index Dense<T>::output_size(Index input_size) const {
  if (input_size != inputs_) {
    throw std::invalid_argument("Dense layer expects " + std::to_string(inputs_) +
                                " input features, got " + std::to_string(input_size));
  }
  return outputs_;
}

template <typename T>
std::vector<ParameterShape> Dense<T>::parameter_shapes() const {
  std::vector<ParameterShape> shapes{{"weight", {outputs_, inputs_}}};
  if (has_bias()) shapes.push_back({"bias", {outputs_}});
  return shapes;
}

template <typename T>
void Dense<T>::bind_parameters(T* values, T* gradients) {
  values_ = values;
  gradients_ = gradients;
}

// output = input · weightᵀ + bias        [batch, in] · [in, out] -> [batch, out]
template <typename T>
const Matrix<T>& Dense<T>::forward(const Matrix<T>& input) {
  input_ = &input;
  output_.resize(input.rows(), outputs_);
  kernels::matmul_abt<T>(input, weight(), output_);
  if (has_bias()) output_.rowwise() += bias().transpose();
  return output_;
}

// dweight += doutputᵀ · input,  dbias += Σ_batch doutput,  dinput = doutput · weight
template <typename T>
const Matrix<T>& Dense<T>::backward(const Matrix<T>& doutput) {
  kernels::matmul_atb_add<T>(doutput, *input_, dweight());
  if (has_bias()) dbias() += doutput.colwise().sum().transpose();
  dinput_.resize(doutput.rows(), inputs_);
  kernels::matmul_ab<T>(doutput, weight(), dinput_);
  return dinput_;
}

template class Dense<float>;
template class Dense<double>;

}  // namespace scratchnet
