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

/// Whether gemm() computes a product of these sizes in plain loops: each output one sum that
/// starts from 0 (from c's value when accumulating) and adds a(i, p) · b(p, j) in order of p,
/// every product and every sum rounded on its own (gemm.cpp fuses no multiply with an add). Code
/// that must give a product's bits without calling gemm() (SmallNetwork) asks this first.
/// `a_contiguous_along_k` is a.column_stride == 1, `b_contiguous_along_k` b.row_stride == 1; the
/// answer depends on the microkernel in use too (matmul_kernel()).
template <typename T>
bool gemm_adds_in_order(Index m, Index n, Index k, bool a_contiguous_along_k,
                        bool b_contiguous_along_k);

/// c = a · b (or c += a · b when `accumulate`), c row-major with `c_row_stride`.
template <typename T>
void gemm(Index m, Index n, Index k, StridedMatrix<T> a, StridedMatrix<T> b, T* c,
          Index c_row_stride, bool accumulate, ThreadPool* pool);

}  // namespace scratchnet::kernels
