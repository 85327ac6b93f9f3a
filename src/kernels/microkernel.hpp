#pragma once
// The innermost loop of the matrix product: one register tile of `Rows` × `Columns` outputs,
//
//   tile[Rows, Columns] (+)= a_panel[depth, Rows]ᵀ · b_panel[depth, Columns]
//
// from panels packed k-major (for each k: Rows values of a, then Columns values of b). The
// tile's accumulators stay in vector registers for the whole depth; each step broadcasts one
// value of a and multiply-adds it into a row of vectors of b.
//
// Each instruction set's source file includes this with its own `Simd` and compiler flags, so
// everything here sits in an unnamed namespace: no definition is shared between those files.

#include <cstddef>

#include "microkernel_shape.hpp"

namespace scratchnet::kernels {
namespace {

template <typename Simd, int Rows, int VectorsPerRow>
void multiply_tile(std::ptrdiff_t depth, const typename Simd::Scalar* a,
                   const typename Simd::Scalar* b, typename Simd::Scalar* tile,
                   std::ptrdiff_t tile_row_stride, bool accumulate) {
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
  for (std::ptrdiff_t p = 0; p < depth; ++p, a += Rows, b += kColumns) {
    Vector b_row[VectorsPerRow];
#pragma GCC unroll 4
    for (int v = 0; v < VectorsPerRow; ++v)
      b_row[v] = Simd::load(b + v * kLanes);
#pragma GCC unroll 16
    for (int i = 0; i < Rows; ++i) {
      const Vector a_value = Simd::broadcast(a[i]);
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

// The kernel for one scalar type, in the shape the packing code needs to know.
template <typename Simd, int Rows, int VectorsPerRow>
constexpr MicrokernelOf<typename Simd::Scalar> microkernel() {
  return {Rows, VectorsPerRow * Simd::kLanes, &multiply_tile<Simd, Rows, VectorsPerRow>};
}

}  // namespace
}  // namespace scratchnet::kernels
