#pragma once
// The one seam through which every matrix product in scratchnet runs. Layers call these three
// shapes of product and nothing else, so the backend (Eigen today) can change without touching
// a layer. Operands are row-major with the batch as the long dimension.
//
// Each product is cut into blocks of output rows of a fixed size (never a size that depends on
// the thread count), and each block is one Eigen product, computed whole by one thread. So the
// result is bit for bit the same with any thread pool, or none.

#include "scratchnet/kernels/thread_pool.hpp"
#include "scratchnet/matrix.hpp"

namespace scratchnet::kernels {

/// out = a · bᵀ         a: [m, k], b: [n, k], out: [m, n]   (Dense forward: input · weightᵀ)
template <typename T>
void matmul_abt(ConstMatrixRef<T> a, ConstMatrixRef<T> b, MatrixRef<T> out,
                ThreadPool* pool = nullptr);

/// out += aᵀ · b        a: [k, m], b: [k, n], out: [m, n]   (Dense weight gradient: doutputᵀ ·
/// input)
template <typename T>
void matmul_atb_add(ConstMatrixRef<T> a, ConstMatrixRef<T> b, MatrixRef<T> out,
                    ThreadPool* pool = nullptr);

/// out = a · b          a: [m, k], b: [k, n], out: [m, n]   (Dense input gradient: doutput ·
/// weight)
template <typename T>
void matmul_ab(ConstMatrixRef<T> a, ConstMatrixRef<T> b, MatrixRef<T> out,
               ThreadPool* pool = nullptr);

}  // namespace scratchnet::kernels
