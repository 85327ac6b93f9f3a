#include "scratchnet/kernels/matmul.hpp"

#include <algorithm>
#include <cassert>

namespace scratchnet::kernels {
namespace {

// Output rows per block: large enough for Eigen's kernels to run at speed, small enough that a
// batch of 64 gives two threads work.
constexpr Index kBlockRows = 32;

// Calls block(first, rows) for consecutive blocks of kBlockRows rows out of `rows`, spread over
// `pool` (or in turn without one).
template <typename Block>
void for_each_block(Index rows, ThreadPool* pool, const Block& block) {
  const Index blocks = (rows + kBlockRows - 1) / kBlockRows;
  const auto part = [&](Index i) {
    const Index first = i * kBlockRows;
    block(first, std::min(kBlockRows, rows - first));
  };
  if (pool != nullptr) {
    pool->run(blocks, part);
  } else {
    for (Index i = 0; i < blocks; ++i)
      part(i);
  }
}

}  // namespace

template <typename T>
void matmul_abt(ConstMatrixRef<T> a, ConstMatrixRef<T> b, MatrixRef<T> out, ThreadPool* pool) {
  assert(a.cols() == b.cols() && out.rows() == a.rows() && out.cols() == b.rows());
  for_each_block(out.rows(), pool, [&](Index first, Index rows) {
    out.middleRows(first, rows).noalias() = a.middleRows(first, rows) * b.transpose();
  });
}

template <typename T>
void matmul_atb_add(ConstMatrixRef<T> a, ConstMatrixRef<T> b, MatrixRef<T> out, ThreadPool* pool) {
  assert(a.rows() == b.rows() && out.rows() == a.cols() && out.cols() == b.cols());
  // out's rows are a's columns: each block sums over the whole batch, in one Eigen product.
  for_each_block(out.rows(), pool, [&](Index first, Index rows) {
    out.middleRows(first, rows).noalias() += a.middleCols(first, rows).transpose() * b;
  });
}

template <typename T>
void matmul_ab(ConstMatrixRef<T> a, ConstMatrixRef<T> b, MatrixRef<T> out, ThreadPool* pool) {
  assert(a.cols() == b.rows() && out.rows() == a.rows() && out.cols() == b.cols());
  for_each_block(out.rows(), pool, [&](Index first, Index rows) {
    out.middleRows(first, rows).noalias() = a.middleRows(first, rows) * b;
  });
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
