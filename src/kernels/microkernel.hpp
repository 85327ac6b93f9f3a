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
#include <cstdint>

#include "microkernel_shape.hpp"

namespace scratchnet::kernels {
namespace {

// a is either a packed panel (a[p * Rows + i]) or, when `kRowsOfA`, the rows of a row-major
// matrix read in place (a[i * a_row_stride + p]), which spares the transposing copy. b's steps
// are b_row_stride apart: a packed panel's width, or a row-major matrix's row read in place.
// With `kOffsetsOfB`, b's step p is instead at b + b_offsets[p] (an indirect product: Conv2d's
// window taps read where they are in the padded image).
template <typename Simd, int Rows, int VectorsPerRow, bool kRowsOfA, bool kOffsetsOfB>
void multiply_tile_steps(std::ptrdiff_t depth, const typename Simd::Scalar* a,
                         std::ptrdiff_t a_row_stride, const typename Simd::Scalar* b,
                         std::ptrdiff_t b_row_stride, const std::ptrdiff_t* b_offsets,
                         typename Simd::Scalar* tile, std::ptrdiff_t tile_row_stride,
                         bool accumulate) {
  using Vector = typename Simd::Vector;
  constexpr int kLanes = Simd::kLanes;

  Vector sum[Rows][VectorsPerRow];
#pragma GCC unroll 16
  for (int i = 0; i < Rows; ++i) {
#pragma GCC unroll 4
    for (int v = 0; v < VectorsPerRow; ++v) {
      sum[i][v] = accumulate ? Simd::load(tile + i * tile_row_stride + v * kLanes) : Simd::zero();
    }
  }
  for (std::ptrdiff_t p = 0; p < depth; ++p) {
    const typename Simd::Scalar* b_step = kOffsetsOfB ? b + b_offsets[p] : b + p * b_row_stride;
    Vector b_row[VectorsPerRow];
#pragma GCC unroll 4
    for (int v = 0; v < VectorsPerRow; ++v)
      b_row[v] = Simd::load(b_step + v * kLanes);
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

template <typename Simd, int Rows, int VectorsPerRow, bool kRowsOfA>
void multiply_tile(std::ptrdiff_t depth, const typename Simd::Scalar* a,
                   std::ptrdiff_t a_row_stride, const typename Simd::Scalar* b,
                   std::ptrdiff_t b_row_stride, typename Simd::Scalar* tile,
                   std::ptrdiff_t tile_row_stride, bool accumulate) {
  multiply_tile_steps<Simd, Rows, VectorsPerRow, kRowsOfA, false>(
      depth, a, a_row_stride, b, b_row_stride, nullptr, tile, tile_row_stride, accumulate);
}

template <typename Simd, int Rows, int VectorsPerRow>
void multiply_tile_at_offsets(std::ptrdiff_t depth, const typename Simd::Scalar* a,
                              const typename Simd::Scalar* b, const std::ptrdiff_t* b_offsets,
                              typename Simd::Scalar* tile, std::ptrdiff_t tile_row_stride) {
  multiply_tile_steps<Simd, Rows, VectorsPerRow, false, true>(depth, a, Rows, b, 0, b_offsets, tile,
                                                              tile_row_stride, false);
}

// out[r] = Σ_p x[p] · y[r * y_stride + p] for `Rows` vectors y at once, sharing each load of x.
// Every sum runs in four vector accumulators (to hide the FMA latency), folded in a fixed order,
// then the scalar tail: the same chain of operations for any Rows, so one output has the same
// bits whichever group it is computed in.
template <typename Simd, int Rows>
void dot_rows(std::ptrdiff_t length, const typename Simd::Scalar* x, const typename Simd::Scalar* y,
              std::ptrdiff_t y_stride, typename Simd::Scalar* out) {
  using Vector = typename Simd::Vector;
  constexpr int kLanes = Simd::kLanes;
  Vector sum[Rows][4];
#pragma GCC unroll 16
  for (int r = 0; r < Rows; ++r) {
#pragma GCC unroll 4
    for (int v = 0; v < 4; ++v)
      sum[r][v] = Simd::zero();
  }
  std::ptrdiff_t p = 0;
  for (; p + 4 * kLanes <= length; p += 4 * kLanes) {
    Vector x_part[4];
#pragma GCC unroll 4
    for (int v = 0; v < 4; ++v)
      x_part[v] = Simd::load(x + p + v * kLanes);
#pragma GCC unroll 16
    for (int r = 0; r < Rows; ++r) {
#pragma GCC unroll 4
      for (int v = 0; v < 4; ++v) {
        sum[r][v] =
            Simd::multiply_add(x_part[v], Simd::load(y + r * y_stride + p + v * kLanes), sum[r][v]);
      }
    }
  }
  for (; p + kLanes <= length; p += kLanes) {
    const Vector x_part = Simd::load(x + p);
#pragma GCC unroll 16
    for (int r = 0; r < Rows; ++r)
      sum[r][0] = Simd::multiply_add(x_part, Simd::load(y + r * y_stride + p), sum[r][0]);
  }
#pragma GCC unroll 16
  for (int r = 0; r < Rows; ++r) {
    typename Simd::Scalar total = Simd::sum((sum[r][0] + sum[r][1]) + (sum[r][2] + sum[r][3]));
    for (std::ptrdiff_t tail = p; tail < length; ++tail)
      total += x[tail] * y[r * y_stride + tail];
    out[r] = total;
  }
}

// out[0, Vectors · kLanes) = Σ_q values[q] · rows[positions[q]] + bias: the rows of an
// input-major weight block picked by one sample's nonzero inputs, summed in two chains of
// accumulators (even and odd q, so one FMA's latency hides behind the other's) added at the end.
// Only the rows listed are read: a zero input costs nothing.
template <typename Simd, int Vectors>
void sum_of_rows(std::ptrdiff_t count, const std::int32_t* positions,
                 const typename Simd::Scalar* values, const typename Simd::Scalar* rows,
                 const typename Simd::Scalar* bias, typename Simd::Scalar* out) {
  using Vector = typename Simd::Vector;
  constexpr int kLanes = Simd::kLanes;
  constexpr std::ptrdiff_t kWidth = Vectors * kLanes;
  Vector even[Vectors], odd[Vectors];
#pragma GCC unroll 4
  for (int v = 0; v < Vectors; ++v)
    even[v] = odd[v] = Simd::zero();
  std::ptrdiff_t q = 0;
  for (; q + 2 <= count; q += 2) {
    const typename Simd::Scalar* even_row = rows + positions[q] * kWidth;
    const typename Simd::Scalar* odd_row = rows + positions[q + 1] * kWidth;
    const Vector even_value = Simd::broadcast(values[q]);
    const Vector odd_value = Simd::broadcast(values[q + 1]);
#pragma GCC unroll 4
    for (int v = 0; v < Vectors; ++v) {
      even[v] = Simd::multiply_add(even_value, Simd::load(even_row + v * kLanes), even[v]);
      odd[v] = Simd::multiply_add(odd_value, Simd::load(odd_row + v * kLanes), odd[v]);
    }
  }
  if (q < count) {
    const typename Simd::Scalar* even_row = rows + positions[q] * kWidth;
    const Vector even_value = Simd::broadcast(values[q]);
#pragma GCC unroll 4
    for (int v = 0; v < Vectors; ++v)
      even[v] = Simd::multiply_add(even_value, Simd::load(even_row + v * kLanes), even[v]);
  }
#pragma GCC unroll 4
  for (int v = 0; v < Vectors; ++v)
    Simd::store(out + v * kLanes, (even[v] + odd[v]) + Simd::load(bias + v * kLanes));
}

// Lists the inputs that are not zero (NaN included), in order: their positions and values.
// Returns how many. Vectors compress them when the instruction set can (Simd::compress_nonzero),
// otherwise each input is written and kept or not without a branch.
template <typename Simd>
std::ptrdiff_t nonzero_inputs(std::ptrdiff_t length, const typename Simd::Scalar* x,
                              std::int32_t* positions, typename Simd::Scalar* values) {
  std::ptrdiff_t count = 0;
  std::ptrdiff_t p = 0;
  if constexpr (requires { Simd::compress_nonzero(x, 0, positions, values); }) {
    for (; p + Simd::kLanes <= length; p += Simd::kLanes)
      count += Simd::compress_nonzero(x + p, std::int32_t(p), positions + count, values + count);
  }
  for (; p < length; ++p) {
    positions[count] = std::int32_t(p);
    values[count] = x[p];
    count += x[p] != typename Simd::Scalar(0);
  }
  return count;
}

// tile[i·tile_row_stride + j] += Σ_s Σ_{p < length} a[s][a_offsets[i] + p] · b[s][b_offsets[j] + p]
// for a RowsA × RowsB block of dot products whose rows are picked by offsets into each segment's
// arrays (Conv2d's weight gradient: the rows of b are windows of one sample's padded image, so no
// columns matrix is built, and each segment is a sample). One vector accumulator per output
// through every segment, folded to a scalar once at the end, plus a scalar tail per segment.
template <typename Simd, int RowsA, int RowsB>
void correlate_tile(std::ptrdiff_t segments, std::ptrdiff_t length,
                    const typename Simd::Scalar* const* a, const std::ptrdiff_t* a_offsets,
                    const typename Simd::Scalar* const* b, const std::ptrdiff_t* b_offsets,
                    typename Simd::Scalar* tile, std::ptrdiff_t tile_row_stride) {
  using Scalar = typename Simd::Scalar;
  using Vector = typename Simd::Vector;
  constexpr int kLanes = Simd::kLanes;
  Vector sum[RowsA][RowsB];
  Scalar tail[RowsA][RowsB];
#pragma GCC unroll 8
  for (int i = 0; i < RowsA; ++i) {
#pragma GCC unroll 8
    for (int j = 0; j < RowsB; ++j) {
      sum[i][j] = Simd::zero();
      tail[i][j] = Scalar(0);
    }
  }
  for (std::ptrdiff_t s = 0; s < segments; ++s) {
    const Scalar* a_row[RowsA];
    const Scalar* b_row[RowsB];
#pragma GCC unroll 8
    for (int i = 0; i < RowsA; ++i)
      a_row[i] = a[s] + a_offsets[i];
#pragma GCC unroll 8
    for (int j = 0; j < RowsB; ++j)
      b_row[j] = b[s] + b_offsets[j];
    std::ptrdiff_t p = 0;
    for (; p + kLanes <= length; p += kLanes) {
      Vector b_part[RowsB];
#pragma GCC unroll 8
      for (int j = 0; j < RowsB; ++j)
        b_part[j] = Simd::load(b_row[j] + p);
#pragma GCC unroll 8
      for (int i = 0; i < RowsA; ++i) {
        const Vector a_part = Simd::load(a_row[i] + p);
#pragma GCC unroll 8
        for (int j = 0; j < RowsB; ++j)
          sum[i][j] = Simd::multiply_add(a_part, b_part[j], sum[i][j]);
      }
    }
    for (; p < length; ++p) {
      for (int i = 0; i < RowsA; ++i) {
        for (int j = 0; j < RowsB; ++j)
          tail[i][j] += a_row[i][p] * b_row[j][p];
      }
    }
  }
#pragma GCC unroll 8
  for (int i = 0; i < RowsA; ++i) {
#pragma GCC unroll 8
    for (int j = 0; j < RowsB; ++j)
      tile[i * tile_row_stride + j] += Simd::sum(sum[i][j]) + tail[i][j];
  }
}

// The kernel for one scalar type, in the shape the packing code needs to know.
template <typename Simd, int Rows, int VectorsPerRow, int CorrelateRowsA = 4,
          int CorrelateRowsB = 4>
constexpr MicrokernelOf<typename Simd::Scalar> microkernel() {
  return {Simd::kLanes,
          Rows,
          VectorsPerRow * Simd::kLanes,
          &multiply_tile<Simd, Rows, VectorsPerRow, false>,
          &multiply_tile<Simd, Rows, VectorsPerRow, true>,
          &multiply_tile_at_offsets<Simd, Rows, VectorsPerRow>,
          &dot_rows<Simd, 1>,
          &dot_rows<Simd, kDotRows>,
          &nonzero_inputs<Simd>,
          {&sum_of_rows<Simd, 1>, &sum_of_rows<Simd, 2>, &sum_of_rows<Simd, 4>},
          CorrelateRowsA,
          CorrelateRowsB,
          &correlate_tile<Simd, CorrelateRowsA, CorrelateRowsB>};
}

}  // namespace
}  // namespace scratchnet::kernels
