#pragma once
// The one shape rule of scratchnet: a batch of activations is a row-major matrix
// [batch, features], one sample per row. Every layer, loss and kernel takes and returns
// matrices in this layout; parameter tensors use PyTorch's layout (a Dense weight is
// [out, in]) so that model files need no conversion.

#include <Eigen/Core>
#include <cstddef>
#include <new>

namespace scratchnet {

using Index = Eigen::Index;

/// A dense row-major matrix of T that owns its storage.
template <typename T>
using Matrix = Eigen::Matrix<T, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

/// A row-major matrix view over storage owned elsewhere (the model's flat buffers).
template <typename T>
using MatrixView = Eigen::Map<Matrix<T>>;

/// A read-only row-major matrix view: what layers take as input and return as output.
template <typename T>
using ConstMatrixView = Eigen::Map<const Matrix<T>>;

/// Points `view` at what `target` views. Eigen maps cannot be reassigned (assignment copies
/// values), so this re-seats one with placement new, as Eigen's documentation recommends.
template <typename T>
void rebind(ConstMatrixView<T>& view, ConstMatrixView<T> target) {
  new (&view) ConstMatrixView<T>(target);
}

/// A read-only view of a whole matrix, to pass an owned Matrix where a view is expected.
template <typename T>
ConstMatrixView<T> view_of(const Matrix<T>& matrix) {
  return {matrix.data(), matrix.rows(), matrix.cols()};
}

/// A column vector view over storage owned elsewhere (a bias inside the flat buffer).
template <typename T>
using VectorView = Eigen::Map<Eigen::Matrix<T, Eigen::Dynamic, 1>>;

/// A writable reference to any row-major matrix or view, for kernels that take either.
template <typename T>
using MatrixRef = Eigen::Ref<Matrix<T>>;

/// A read-only reference to any row-major matrix or view.
template <typename T>
using ConstMatrixRef = Eigen::Ref<const Matrix<T>>;

}  // namespace scratchnet
