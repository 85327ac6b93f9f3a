#pragma once
// The logistic activation, elementwise:  y = σ(x) = 1 / (1 + e^(−x)),  dy/dx = y · (1 − y)
//   input [batch, n] -> output [batch, n]

#include "scratchnet/layer.hpp"

namespace scratchnet {

template <typename T>
class Sigmoid final : public Layer<T> {
 public:
  std::string name() const override { return "Sigmoid"; }

  const Matrix<T>& forward(const Matrix<T>& input) override;
  const Matrix<T>& backward(const Matrix<T>& doutput) override;

 private:
  Matrix<T> output_;  // backward needs only y, not x
  Matrix<T> dinput_;
};

}  // namespace scratchnet
