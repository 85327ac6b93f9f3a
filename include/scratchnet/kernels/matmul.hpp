#pragma once
// The one seam through which every matrix product in scratchnet runs. Layers call these shapes
// of product and nothing else, so the backend can change without touching a layer.
// Operands are row-major with the batch as the long dimension.
//
// The backend is scratchnet's own blocked product (kernels/gemm.hpp) with a microkernel for
// the CPU's widest vectors. Each output element is one fixed chain of multiply-adds whichever
// thread computes it, so the result is bit for bit the same with any thread pool, or none.
// kernels/reference_matmul.hpp holds the plain definitions the tests compare against.

#include <cassert>
#include <string_view>
#include <type_traits>

#include "scratchnet/kernels/gemm.hpp"
#include "scratchnet/kernels/thread_pool.hpp"
#include "scratchnet/matrix.hpp"

namespace scratchnet::kernels {
namespace detail {

// The products take any row-major Eigen matrix, map or block of T (no copy, no Eigen::Ref, whose
// bookkeeping cost more than a tiny product) and hand its pointer and row stride to gemm().
template <typename T, typename M>
void check_layout(const Eigen::MatrixBase<M>& matrix) {
  static_assert(std::is_same_v<typename M::Scalar, T>, "a product of matrices of another type");
  static_assert(bool(M::Flags & Eigen::RowMajorBit), "the products take row-major matrices");
  assert(matrix.innerStride() == 1);
  (void)matrix;
}

template <typename T, typename M>
StridedMatrix<T> as_is(const Eigen::MatrixBase<M>& matrix) {
  check_layout<T>(matrix);
  return {matrix.derived().data(), matrix.outerStride(), 1};
}

template <typename T, typename M>
StridedMatrix<T> transposed(const Eigen::MatrixBase<M>& matrix) {
  check_layout<T>(matrix);
  return {matrix.derived().data(), 1, matrix.outerStride()};
}

// Eigen's way to take a writable temporary (a map, a block): by const reference, cast back.
template <typename T, typename M>
T* writable(const Eigen::MatrixBase<M>& matrix) {
  check_layout<T>(matrix);
  return const_cast<M&>(matrix.derived()).data();
}

}  // namespace detail

/// out = a · bᵀ         a: [m, k], b: [n, k], out: [m, n]   (Dense forward: input · weightᵀ)
template <typename T, typename A, typename B, typename Out>
void matmul_abt(const Eigen::MatrixBase<A>& a, const Eigen::MatrixBase<B>& b,
                const Eigen::MatrixBase<Out>& out, ThreadPool* pool = nullptr) {
  assert(a.cols() == b.cols() && out.rows() == a.rows() && out.cols() == b.rows());
  gemm<T>(out.rows(), out.cols(), a.cols(), detail::as_is<T>(a), detail::transposed<T>(b),
          detail::writable<T>(out), out.outerStride(), /*accumulate=*/false, pool);
}

/// out += aᵀ · b        a: [k, m], b: [k, n], out: [m, n]   (Dense weight gradient: doutputᵀ ·
/// input)
template <typename T, typename A, typename B, typename Out>
void matmul_atb_add(const Eigen::MatrixBase<A>& a, const Eigen::MatrixBase<B>& b,
                    const Eigen::MatrixBase<Out>& out, ThreadPool* pool = nullptr) {
  assert(a.rows() == b.rows() && out.rows() == a.cols() && out.cols() == b.cols());
  gemm<T>(out.rows(), out.cols(), a.rows(), detail::transposed<T>(a), detail::as_is<T>(b),
          detail::writable<T>(out), out.outerStride(), /*accumulate=*/true, pool);
}

/// out = a · b          a: [m, k], b: [k, n], out: [m, n]   (Dense input gradient: doutput ·
/// weight)
template <typename T, typename A, typename B, typename Out>
void matmul_ab(const Eigen::MatrixBase<A>& a, const Eigen::MatrixBase<B>& b,
               const Eigen::MatrixBase<Out>& out, ThreadPool* pool = nullptr) {
  assert(a.cols() == b.rows() && out.rows() == a.rows() && out.cols() == b.cols());
  gemm<T>(out.rows(), out.cols(), a.cols(), detail::as_is<T>(a), detail::as_is<T>(b),
          detail::writable<T>(out), out.outerStride(), /*accumulate=*/false, pool);
}

/// out += a · bᵀ       a: [m, k], b: [n, k], out: [m, n]   (Conv2d weight gradient: doutput ·
/// columnsᵀ, summed over samples)
template <typename T, typename A, typename B, typename Out>
void matmul_abt_add(const Eigen::MatrixBase<A>& a, const Eigen::MatrixBase<B>& b,
                    const Eigen::MatrixBase<Out>& out, ThreadPool* pool = nullptr) {
  assert(a.cols() == b.cols() && out.rows() == a.rows() && out.cols() == b.rows());
  gemm<T>(out.rows(), out.cols(), a.cols(), detail::as_is<T>(a), detail::transposed<T>(b),
          detail::writable<T>(out), out.outerStride(), /*accumulate=*/true, pool);
}

/// out = aᵀ · b         a: [k, m], b: [k, n], out: [m, n]   (Conv2d input gradient: weightᵀ ·
/// doutput, the columns col2im folds back)
template <typename T, typename A, typename B, typename Out>
void matmul_atb(const Eigen::MatrixBase<A>& a, const Eigen::MatrixBase<B>& b,
                const Eigen::MatrixBase<Out>& out, ThreadPool* pool = nullptr) {
  assert(a.rows() == b.rows() && out.rows() == a.cols() && out.cols() == b.cols());
  gemm<T>(out.rows(), out.cols(), a.rows(), detail::transposed<T>(a), detail::as_is<T>(b),
          detail::writable<T>(out), out.outerStride(), /*accumulate=*/false, pool);
}

/// The microkernel the products run: "avx512", "avx2" or "portable" (plain C++) on x86-64,
/// "neon" or "portable" on AArch64. The widest the CPU supports is chosen at start-up.
const char* matmul_kernel();

/// Makes the products run `name`'s microkernel, for tests and benchmarks that compare them.
/// Returns false, changing nothing, when the name is unknown or the CPU lacks its instructions.
/// Not thread-safe: call it while no product runs.
bool use_matmul_kernel(std::string_view name);

}  // namespace scratchnet::kernels
