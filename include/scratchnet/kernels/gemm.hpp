#pragma once
// The general matrix product behind kernels/matmul.hpp, on raw strided operands:
//
//   c[m, n] (+)= a[m, k] · b[k, n]
//
// Blocked the way BLIS and OpenBLAS are: b is packed into narrow panels (and a too, unless it is
// row-major, when the microkernel reads its rows in place), a register-tile microkernel streams
// through them, and the output is cut into tiles that the thread pool shares out. One to three
// rows take a dot product per output instead; tiny products, plain loops. Which path runs
// depends on the shape alone, and on each path every output element is one fixed chain of
// multiply-adds over k (in fixed blocks of k), whichever thread computes it, so the bits never
// depend on the number of threads.

#include "scratchnet/kernels/thread_pool.hpp"
#include "scratchnet/matrix.hpp"

namespace scratchnet::kernels {

/// Read-only access to a matrix stored with any strides: element (i, j) is at
/// data[i * row_stride + j * column_stride]. A transpose is the same data with strides swapped.
template <typename T>
struct StridedMatrix {
  const T* data;
  Index row_stride;
  Index column_stride;

  T operator()(Index i, Index j) const { return data[i * row_stride + j * column_stride]; }
};

/// c = a · b (or c += a · b when `accumulate`), c row-major with `c_row_stride`.
template <typename T>
void gemm(Index m, Index n, Index k, StridedMatrix<T> a, StridedMatrix<T> b, T* c,
          Index c_row_stride, bool accumulate, ThreadPool* pool);

}  // namespace scratchnet::kernels
