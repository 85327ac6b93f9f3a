#include "scratchnet/kernels/correlate.hpp"

#include <algorithm>

#include "microkernel_shape.hpp"

namespace scratchnet::kernels {

// Tiles of the microkernel's correlate_rows_a × correlate_rows_b outputs. An edge tile repeats
// its last row's offset to fill the tile, computes aside and keeps only its own outputs, so every
// output runs through the same kernel whatever tile it falls in.
template <typename T>
void correlate_add(Index rows, Index columns, Index length, Index segments, const T* const* a,
                   const Index* a_offsets, const T* const* b, const Index* b_offsets, T* out,
                   Index out_row_stride) {
  const MicrokernelOf<T>& kernel = current_microkernel(static_cast<T*>(nullptr));
  constexpr Index kMostRows = 8;
  const Index tile_rows = kernel.correlate_rows_a, tile_columns = kernel.correlate_rows_b;
  for (Index first_row = 0; first_row < rows; first_row += tile_rows) {
    const Index tile_height = std::min(tile_rows, rows - first_row);
    Index row_offsets[kMostRows];
    for (Index i = 0; i < tile_rows; ++i)
      row_offsets[i] = a_offsets[first_row + std::min(i, tile_height - 1)];
    for (Index first_column = 0; first_column < columns; first_column += tile_columns) {
      const Index tile_width = std::min(tile_columns, columns - first_column);
      T* tile_out = out + first_row * out_row_stride + first_column;
      if (tile_height == tile_rows && tile_width == tile_columns) {
        kernel.correlate_tile(segments, length, a, row_offsets, b, b_offsets + first_column,
                              tile_out, out_row_stride);
        continue;
      }
      Index column_offsets[kMostRows];
      for (Index j = 0; j < tile_columns; ++j)
        column_offsets[j] = b_offsets[first_column + std::min(j, tile_width - 1)];
      T tile[kMostRows * kMostRows] = {};
      kernel.correlate_tile(segments, length, a, row_offsets, b, column_offsets, tile,
                            tile_columns);
      for (Index i = 0; i < tile_height; ++i) {
        for (Index j = 0; j < tile_width; ++j)
          tile_out[i * out_row_stride + j] += tile[i * tile_columns + j];
      }
    }
  }
}

template void correlate_add<float>(Index, Index, Index, Index, const float* const*, const Index*,
                                   const float* const*, const Index*, float*, Index);
template void correlate_add<double>(Index, Index, Index, Index, const double* const*, const Index*,
                                    const double* const*, const Index*, double*, Index);

}  // namespace scratchnet::kernels
