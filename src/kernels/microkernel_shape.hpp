#pragma once
// What the packing and tiling code knows of a microkernel: the tile it computes and the
// function that computes it, plus a dot product for single rows. Each instruction set provides
// one per scalar type.

#include <cstddef>
#include <cstdint>

namespace scratchnet::kernels {

// Rows of b that one call of MicrokernelOf::dots multiplies, sharing each load of the row of a.
inline constexpr int kDotRows = 4;

template <typename T>
struct MicrokernelOf {
  // out[j] = Σ_q values[q] · rows[positions[q] * width + j] + bias[j] for j < width: the sum of
  // the rows picked by the nonzero inputs, for a block of an input-major weight `width` wide.
  using SumOfRows = void (*)(std::ptrdiff_t count, const std::int32_t* positions, const T* values,
                             const T* rows, const T* bias, T* out);

  int lanes;    // values per vector
  int rows;     // rows of a packed panel of a, and of the output tile
  int columns;  // columns of a packed panel of b, and of the output tile
  // tile (+)= Σ_p a[p*rows + i] · b[p*b_row_stride + j] for the whole tile, `depth` steps of p;
  // b_row_stride is `columns` for a packed panel of b. (a_row_stride is unused: a is packed.)
  void (*multiply_tile)(std::ptrdiff_t depth, const T* a, std::ptrdiff_t a_row_stride, const T* b,
                        std::ptrdiff_t b_row_stride, T* tile, std::ptrdiff_t tile_row_stride,
                        bool accumulate);
  // The same with a[i*a_row_stride + p]: `rows` rows of a row-major matrix, read in place.
  void (*multiply_tile_by_rows_of_a)(std::ptrdiff_t depth, const T* a, std::ptrdiff_t a_row_stride,
                                     const T* b, std::ptrdiff_t b_row_stride, T* tile,
                                     std::ptrdiff_t tile_row_stride, bool accumulate);
  // tile = Σ_p a[p*rows + i] · b[b_offsets[p] + j]: a packed, b's steps where the offsets say.
  void (*multiply_tile_at_offsets)(std::ptrdiff_t depth, const T* a, const T* b,
                                   const std::ptrdiff_t* b_offsets, T* tile,
                                   std::ptrdiff_t tile_row_stride);
  // out[r] = Σ_p x[p] · y[r * y_stride + p], for one y (dot) or kDotRows of them (dots): a
  // single row times a matrix stored as rows (one sample through a Dense layer), where packing
  // panels for tiles would cost more than the arithmetic. Both give the same bits per output.
  void (*dot)(std::ptrdiff_t length, const T* x, const T* y, std::ptrdiff_t y_stride, T* out);
  void (*dots)(std::ptrdiff_t length, const T* x, const T* y, std::ptrdiff_t y_stride, T* out);
  // Lists the nonzero x[p] (NaN included) in order, their positions and values; returns how many.
  std::ptrdiff_t (*nonzero_inputs)(std::ptrdiff_t length, const T* x, std::int32_t* positions,
                                   T* values);
  // sum_of_rows for blocks 1, 2 and 4 vectors wide (InputMajorWeights, one sample at a time).
  SumOfRows sum_of_rows[3];
  // tile[i·tile_row_stride + j] += Σ_s Σ_{p < length} a[s][a_offsets[i] + p] · b[s][b_offsets[j] +
  // p] for i < correlate_rows_a, j < correlate_rows_b (see kernels/correlate.hpp).
  int correlate_rows_a, correlate_rows_b;
  void (*correlate_tile)(std::ptrdiff_t segments, std::ptrdiff_t length, const T* const* a,
                         const std::ptrdiff_t* a_offsets, const T* const* b,
                         const std::ptrdiff_t* b_offsets, T* tile, std::ptrdiff_t tile_row_stride);
};

struct Microkernels {
  const char* name;
  MicrokernelOf<float> for_float;
  MicrokernelOf<double> for_double;
};

// One per instruction set, each compiled with its own flags; call only what the CPU supports.
// The x86 ones exist only in x86-64 builds, the NEON one only in AArch64 builds.
Microkernels avx512_microkernels();
Microkernels avx2_microkernels();
Microkernels neon_microkernels();
Microkernels portable_microkernels();

// The microkernels the products run now: the widest the CPU has, unless use_matmul_kernel()
// chose another.
const MicrokernelOf<float>& current_microkernel(float*);
const MicrokernelOf<double>& current_microkernel(double*);

}  // namespace scratchnet::kernels
