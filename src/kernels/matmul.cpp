#include "scratchnet/kernels/matmul.hpp"

#include <cassert>

#include "gemm.hpp"

namespace scratchnet::kernels {
namespace {

template <typename T>
StridedMatrix<T> as_is(ConstMatrixRef<T> matrix) {
  return {matrix.data(), matrix.outerStride(), 1};
}

template <typename T>
StridedMatrix<T> transposed(ConstMatrixRef<T> matrix) {
  return {matrix.data(), 1, matrix.outerStride()};
}

}  // namespace

template <typename T>
void matmul_abt(ConstMatrixRef<T> a, ConstMatrixRef<T> b, MatrixRef<T> out, ThreadPool* pool) {
  assert(a.cols() == b.cols() && out.rows() == a.rows() && out.cols() == b.rows());
  gemm<T>(out.rows(), out.cols(), a.cols(), as_is<T>(a), transposed<T>(b), out.data(),
          out.outerStride(), /*accumulate=*/false, pool);
}

template <typename T>
void matmul_atb_add(ConstMatrixRef<T> a, ConstMatrixRef<T> b, MatrixRef<T> out, ThreadPool* pool) {
  assert(a.rows() == b.rows() && out.rows() == a.cols() && out.cols() == b.cols());
  gemm<T>(out.rows(), out.cols(), a.rows(), transposed<T>(a), as_is<T>(b), out.data(),
          out.outerStride(), /*accumulate=*/true, pool);
}

template <typename T>
void matmul_ab(ConstMatrixRef<T> a, ConstMatrixRef<T> b, MatrixRef<T> out, ThreadPool* pool) {
  assert(a.cols() == b.rows() && out.rows() == a.rows() && out.cols() == b.cols());
  gemm<T>(out.rows(), out.cols(), a.cols(), as_is<T>(a), as_is<T>(b), out.data(), out.outerStride(),
          /*accumulate=*/false, pool);
}

#define SCRATCHNET_INSTANTIATE(T)                                                               \
  template void matmul_abt<T>(ConstMatrixRef<T>, ConstMatrixRef<T>, MatrixRef<T>, ThreadPool*); \
  template void matmul_atb_add<T>(ConstMatrixRef<T>, ConstMatrixRef<T>, MatrixRef<T>,           \
                                  ThreadPool*);                                                 \
  template void matmul_ab<T>(ConstMatrixRef<T>, ConstMatrixRef<T>, MatrixRef<T>, ThreadPool*);
SCRATCHNET_INSTANTIATE(float)
SCRATCHNET_INSTANTIATE(double)
#undef SCRATCHNET_INSTANTIATE

}  // namespace scratchnet::kernels
