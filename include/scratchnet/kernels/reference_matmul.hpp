#pragma once
// The products of kernels/matmul.hpp as their plain definitions: one sum per output
// element, in order, no blocking, no vectors, no threads. Slow and obviously right, which is
// what the tests measure the fast kernels against.

#include "scratchnet/matrix.hpp"

namespace scratchnet::kernels::reference {

/// out(i, j) = Σ_p a(i, p) · b(j, p)
template <typename T>
void matmul_abt(ConstMatrixRef<T> a, ConstMatrixRef<T> b, MatrixRef<T> out) {
  for (Index i = 0; i < a.rows(); ++i) {
    for (Index j = 0; j < b.rows(); ++j) {
      T sum = 0;
      for (Index p = 0; p < a.cols(); ++p)
        sum += a(i, p) * b(j, p);
      out(i, j) = sum;
    }
  }
}

/// out(i, j) += Σ_p a(p, i) · b(p, j)
template <typename T>
void matmul_atb_add(ConstMatrixRef<T> a, ConstMatrixRef<T> b, MatrixRef<T> out) {
  for (Index i = 0; i < a.cols(); ++i) {
    for (Index j = 0; j < b.cols(); ++j) {
      T sum = out(i, j);
      for (Index p = 0; p < a.rows(); ++p)
        sum += a(p, i) * b(p, j);
      out(i, j) = sum;
    }
  }
}

/// out(i, j) = Σ_p a(i, p) · b(p, j)
template <typename T>
void matmul_ab(ConstMatrixRef<T> a, ConstMatrixRef<T> b, MatrixRef<T> out) {
  for (Index i = 0; i < a.rows(); ++i) {
    for (Index j = 0; j < b.cols(); ++j) {
      T sum = 0;
      for (Index p = 0; p < a.cols(); ++p)
        sum += a(i, p) * b(p, j);
      out(i, j) = sum;
    }
  }
}

/// out(i, j) += Σ_p a(i, p) · b(j, p)
template <typename T>
void matmul_abt_add(ConstMatrixRef<T> a, ConstMatrixRef<T> b, MatrixRef<T> out) {
  for (Index i = 0; i < a.rows(); ++i) {
    for (Index j = 0; j < b.rows(); ++j) {
      T sum = out(i, j);
      for (Index p = 0; p < a.cols(); ++p)
        sum += a(i, p) * b(j, p);
      out(i, j) = sum;
    }
  }
}

/// out(i, j) = Σ_p a(p, i) · b(p, j)
template <typename T>
void matmul_atb(ConstMatrixRef<T> a, ConstMatrixRef<T> b, MatrixRef<T> out) {
  for (Index i = 0; i < a.cols(); ++i) {
    for (Index j = 0; j < b.cols(); ++j) {
      T sum = 0;
      for (Index p = 0; p < a.rows(); ++p)
        sum += a(p, i) * b(p, j);
      out(i, j) = sum;
    }
  }
}

}  // namespace scratchnet::kernels::reference
