#pragma once
// The general matrix product behind kernels/matmul.hpp, on raw strided operands:
//
//   c[m, n] (+)= a[m, k] · b[k, n]
//
// Blocked the way BLIS and OpenBLAS are: both operands are packed into narrow panels so that
// a register-tile microkernel streams through them, and the output is cut into tiles that the
// thread pool shares out. Every output element is the same chain of fused multiply-adds over k
// (in fixed chunks of kDepthBlock), whichever thread or tile computes it, so the bits never
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
