#include "scratchnet/kernels/matmul.hpp"

#include <cassert>

namespace scratchnet::kernels {

template <typename T>
void matmul_abt(ConstMatrixRef<T> a, ConstMatrixRef<T> b, MatrixRef<T> out) {
  assert(a.cols() == b.cols() && out.rows() == a.rows() && out.cols() == b.rows());
  out.noalias() = a * b.transpose();
}

template <typename T>
void matmul_atb_add(ConstMatrixRef<T> a, ConstMatrixRef<T> b, MatrixRef<T> out) {
  assert(a.rows() == b.rows() && out.rows() == a.cols() && out.cols() == b.cols());
  out.noalias() += a.transpose() * b;
}

template <typename T>
void matmul_ab(ConstMatrixRef<T> a, ConstMatrixRef<T> b, MatrixRef<T> out) {
  assert(a.cols() == b.rows() && out.rows() == a.rows() && out.cols() == b.cols());
  out.noalias() = a * b;
}

#define SCRATCHNET_INSTANTIATE(T)                                                      \
  template void matmul_abt<T>(ConstMatrixRef<T>, ConstMatrixRef<T>, MatrixRef<T>);     \
  template void matmul_atb_add<T>(ConstMatrixRef<T>, ConstMatrixRef<T>, MatrixRef<T>); \
  template void matmul_ab<T>(ConstMatrixRef<T>, ConstMatrixRef<T>, MatrixRef<T>);
SCRATCHNET_INSTANTIATE(float)
SCRATCHNET_INSTANTIATE(double)
#undef SCRATCHNET_INSTANTIATE

}  // namespace scratchnet::kernels
