#pragma once
// The one seam through which every matrix product in scratchnet runs. Layers call these three
// shapes of product and nothing else, so the backend can change without touching a layer.
// Operands are row-major with the batch as the long dimension.
//
// The backend is scratchnet's own blocked product (src/kernels/gemm.hpp) with a microkernel for
// the CPU's widest vectors. Each output element is one fixed chain of multiply-adds whichever
// thread computes it, so the result is bit for bit the same with any thread pool, or none.
// kernels/reference_matmul.hpp holds the plain definitions the tests compare against.

#include <string_view>

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

/// The microkernel the products run: "avx512", "avx2" or "portable" (plain C++). The widest
/// the CPU supports is chosen at start-up.
const char* matmul_kernel();

/// Makes the products run `name`'s microkernel, for tests and benchmarks that compare them.
/// Returns false, changing nothing, when the name is unknown or the CPU lacks its instructions.
/// Not thread-safe: call it while no product runs.
bool use_matmul_kernel(std::string_view name);

}  // namespace scratchnet::kernels
