#pragma once
// The loss contract: forward(prediction, target) returns the scalar loss and keeps what
// backward needs; backward() returns dloss/dprediction with the prediction's shape.
//   prediction [batch, outputs], target [batch, outputs]

#include "scratchnet/matrix.hpp"

namespace scratchnet {

template <typename T>
class Loss {
 public:
  virtual ~Loss() = default;

  /// The scalar loss of `prediction` against `target`, both [batch, outputs].
  virtual T forward(const Matrix<T>& prediction, const Matrix<T>& target) = 0;

  /// dloss/dprediction, [batch, outputs], for the last forward().
  virtual const Matrix<T>& backward() = 0;
};

}  // namespace scratchnet
