#pragma once
// The innermost loop of the matrix product: one register tile of `Rows` × `Columns` outputs,
//
//   tile[Rows, Columns] (+)= a_panel[depth, Rows]ᵀ · b_panel[depth, Columns]
//
// from panels packed k-major (for each k: Rows values of a, then Columns values of b), or with
// a's rows read where they are. The
// tile's accumulators stay in vector registers for the whole depth; each step broadcasts one
// value of a and multiply-adds it into a row of vectors of b.
//
// Each instruction set's source file includes this with its own `Simd` and compiler flags, so
// everything here sits in an unnamed namespace: no definition is shared between those files.

#include <cstddef>

#include "microkernel_shape.hpp"

namespace scratchnet::kernels {
namespace {

// a is either a packed panel (a[p * Rows + i]) or, when `kRowsOfA`, the rows of a row-major
// matrix read in place (a[i * a_row_stride + p]), which spares the transposing copy.
template <typename Simd, int Rows, int VectorsPerRow, bool kRowsOfA>
void multiply_tile(std::ptrdiff_t depth, const typename Simd::Scalar* a,
                   std::ptrdiff_t a_row_stride, const typename Simd::Scalar* b,
                   typename Simd::Scalar* tile, std::ptrdiff_t tile_row_stride, bool accumulate) {
  using Vector = typename Simd::Vector;
  constexpr int kLanes = Simd::kLanes;
  constexpr int kColumns = VectorsPerRow * kLanes;

  Vector sum[Rows][VectorsPerRow];
#pragma GCC unroll 16
  for (int i = 0; i < Rows; ++i) {
#pragma GCC unroll 4
    for (int v = 0; v < VectorsPerRow; ++v) {
      sum[i][v] = accumulate ? Simd::load(tile + i * tile_row_stride + v * kLanes) : Simd::zero();
    }
  }
  for (std::ptrdiff_t p = 0; p < depth; ++p, b += kColumns) {
    Vector b_row[VectorsPerRow];
#pragma GCC unroll 4
    for (int v = 0; v < VectorsPerRow; ++v)
      b_row[v] = Simd::load(b + v * kLanes);
#pragma GCC unroll 16
    for (int i = 0; i < Rows; ++i) {
      const Vector a_value = Simd::broadcast(kRowsOfA ? a[i * a_row_stride + p] : a[p * Rows + i]);
#pragma GCC unroll 4
      for (int v = 0; v < VectorsPerRow; ++v)
        sum[i][v] = Simd::multiply_add(a_value, b_row[v], sum[i][v]);
    }
  }
#pragma GCC unroll 16
  for (int i = 0; i < Rows; ++i) {
#pragma GCC unroll 4
    for (int v = 0; v < VectorsPerRow; ++v)
      Simd::store(tile + i * tile_row_stride + v * kLanes, sum[i][v]);
  }
}

// Σ_p x[p] · y[p] in four vector accumulators (to hide the FMA latency), summed in a fixed
// order, then the scalar tail.
template <typename Simd>
typename Simd::Scalar dot(std::ptrdiff_t length, const typename Simd::Scalar* x,
                          const typename Simd::Scalar* y) {
  using Vector = typename Simd::Vector;
  constexpr int kLanes = Simd::kLanes;
  Vector sum[4] = {Simd::zero(), Simd::zero(), Simd::zero(), Simd::zero()};
  std::ptrdiff_t p = 0;
  for (; p + 4 * kLanes <= length; p += 4 * kLanes) {
#pragma GCC unroll 4
    for (int v = 0; v < 4; ++v) {
      sum[v] = Simd::multiply_add(Simd::load(x + p + v * kLanes), Simd::load(y + p + v * kLanes),
                                  sum[v]);
    }
  }
  for (; p + kLanes <= length; p += kLanes)
    sum[0] = Simd::multiply_add(Simd::load(x + p), Simd::load(y + p), sum[0]);
  typename Simd::Scalar total = Simd::sum((sum[0] + sum[1]) + (sum[2] + sum[3]));
  for (; p < length; ++p)
    total += x[p] * y[p];
  return total;
}

// The kernel for one scalar type, in the shape the packing code needs to know.
template <typename Simd, int Rows, int VectorsPerRow>
constexpr MicrokernelOf<typename Simd::Scalar> microkernel() {
  return {Rows, VectorsPerRow * Simd::kLanes, &multiply_tile<Simd, Rows, VectorsPerRow, false>,
          &multiply_tile<Simd, Rows, VectorsPerRow, true>, &dot<Simd>};
}

}  // namespace
}  // namespace scratchnet::kernels
