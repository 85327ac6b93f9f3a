#pragma once
// Library matrices handed to Python as numpy arrays without a copy: the array takes ownership
// of the matrix's buffer and frees it when numpy drops the array.

#include <pybind11/numpy.h>

#include <utility>

#include "scratchnet/matrix.hpp"

namespace scratchnet::python {

/// A 2-D C-contiguous numpy array over `matrix`'s storage, which it now owns.
template <typename T>
pybind11::array_t<T> to_numpy(Matrix<T>&& matrix) {
  auto* owned = new Matrix<T>(std::move(matrix));
  pybind11::capsule free_matrix(owned,
                                [](void* pointer) { delete static_cast<Matrix<T>*>(pointer); });
  const auto row_bytes = static_cast<pybind11::ssize_t>(owned->cols() * sizeof(T));
  return pybind11::array_t<T>({owned->rows(), owned->cols()},
                              {row_bytes, static_cast<pybind11::ssize_t>(sizeof(T))}, owned->data(),
                              free_matrix);
}

}  // namespace scratchnet::python
