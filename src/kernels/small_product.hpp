#pragma once
// Products too small to be worth packing, computed element by element.

#include "scratchnet/kernels/gemm.hpp"

namespace scratchnet::kernels {

// The same sum as the microkernels, one element at a time, for products too small to pack
// (Stage 1's network is all such products). Pointers walk the strides: no index arithmetic in
// the innermost loop.
template <typename T>
void multiply_small(Index m, Index n, Index k, StridedMatrix<T> a, StridedMatrix<T> b, T* c,
                    Index c_row_stride, bool accumulate) {
  for (Index i = 0; i < m; ++i) {
    const T* a_row = a.data + i * a.row_stride;
    T* c_row = c + i * c_row_stride;
    for (Index j = 0; j < n; ++j) {
      const T* a_step = a_row;
      const T* b_step = b.data + j * b.column_stride;
      T sum = accumulate ? c_row[j] : T(0);
      for (Index p = 0; p < k; ++p, a_step += a.column_stride, b_step += b.row_stride)
        sum += *a_step * *b_step;
      c_row[j] = sum;
    }
  }
}

}  // namespace scratchnet::kernels
