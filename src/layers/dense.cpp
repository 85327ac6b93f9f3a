#include "scratchnet/layers/dense.hpp"

#include <stdexcept>
#include <string>

#include "scratchnet/kernels/matmul.hpp"

namespace scratchnet {
namespace {

// Work per part when a pool shares the bias terms: fixed, so the cut never depends on threads.
constexpr Index kRowsPerSlice = 32;
constexpr int kColumnsPerSlice = 64;

}  // namespace

template <typename T>
Dense<T>::Dense(Index inputs, Index outputs, Bias bias)
    : inputs_(inputs), outputs_(outputs), bias_(bias) {
  if (inputs <= 0 || outputs <= 0) {
    throw std::invalid_argument("Dense layer needs positive sizes, got " + std::to_string(inputs) +
                                " -> " + std::to_string(outputs));
  }
}

template <typename T>
LayerDescription Dense<T>::describe() const {
  return {"Linear",
          {{"in_features", std::int64_t{inputs_}},
           {"out_features", std::int64_t{outputs_}},
           {"bias", has_bias()}}};
}

template <typename T>
Shape Dense<T>::output_shape(const Shape& input) const {
  if (!input.is_flat()) {
    throw std::invalid_argument("Dense layer takes flat samples of " + std::to_string(inputs_) +
                                " features, got samples of shape " + input.text());
  }
  if (input.elements() != inputs_) {
    throw std::invalid_argument("Dense layer expects " + std::to_string(inputs_) +
                                " input features, got " + std::to_string(input.elements()));
  }
  return Shape(outputs_);
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
ConstMatrixView<T> Dense<T>::forward(ConstMatrixView<T> input) {
  rebind(input_, input);
  auto output = output_.reshape(input.rows(), outputs_);
  kernels::matmul_abt<T>(input, weight(), output, pool_);
  if (has_bias()) {
    kernels::run_slices(pool_, output.rows(), kRowsPerSlice, [&](Index first, Index rows) {
      output.middleRows(first, rows).rowwise() += bias().transpose();
    });
  }
  return output_.const_view();
}

// dweight += doutputᵀ · input,  dbias += Σ_batch doutput,  dinput = doutput · weight
template <typename T>
ConstMatrixView<T> Dense<T>::backward(ConstMatrixView<T> doutput) {
  backward_parameters(doutput);
  kernels::matmul_ab<T>(doutput, weight(), dinput_.reshape(doutput.rows(), inputs_), pool_);
  return dinput_.const_view();
}

// dweight += doutputᵀ · input,  dbias += Σ_batch doutput
template <typename T>
void Dense<T>::backward_parameters(ConstMatrixView<T> doutput) {
  kernels::matmul_atb_add<T>(doutput, input_, dweight(), pool_);
  if (has_bias()) {
    // Σ over the batch, row after row (contiguous), for a slice of the outputs per part.
    kernels::run_slices(pool_, outputs_, kColumnsPerSlice, [&](Index first, Index columns) {
      Eigen::Matrix<T, 1, kColumnsPerSlice> sum = Eigen::Matrix<T, 1, kColumnsPerSlice>::Zero();
      for (Index row = 0; row < doutput.rows(); ++row)
        sum.head(columns) += doutput.row(row).segment(first, columns);
      dbias().segment(first, columns) += sum.head(columns).transpose();
    });
  }
}

template class Dense<float>;
template class Dense<double>;

}  // namespace scratchnet
