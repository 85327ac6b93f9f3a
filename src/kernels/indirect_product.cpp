#include "scratchnet/kernels/indirect_product.hpp"

#include <algorithm>

#include "microkernel_shape.hpp"

namespace scratchnet::kernels {
namespace {

template <typename T>
const MicrokernelOf<T>& kernel_for() {
  return current_microkernel(static_cast<T*>(nullptr));
}

}  // namespace

template <typename T>
Index packed_for_offsets_size(Index m, Index k) {
  const Index rows = kernel_for<T>().rows;
  return (m + rows - 1) / rows * rows * k;
}

// Panels of `rows` rows, k-major (panel[p·rows + i] = a[first_row + i, p]), zero past row m.
template <typename T>
void pack_for_offsets(Index m, Index k, const T* a, Index row_stride, Index column_stride,
                      T* packed) {
  const Index rows = kernel_for<T>().rows;
  for (Index first_row = 0; first_row < m; first_row += rows) {
    T* panel = packed + first_row * k;
    for (Index p = 0; p < k; ++p) {
      for (Index i = 0; i < rows; ++i) {
        panel[p * rows + i] =
            first_row + i < m ? a[(first_row + i) * row_stride + p * column_stride] : T(0);
      }
    }
  }
}

// The scratch: a panel of b's last, partial block of columns (zero past n, so nothing is read
// past it), then an output tile aside for the edge tiles.
template <typename T>
Index matmul_at_offsets_scratch_size(Index k) {
  const MicrokernelOf<T>& kernel = kernel_for<T>();
  return k * kernel.columns + kernel.rows * kernel.columns;
}

template <typename T>
void matmul_at_offsets(Index m, Index n, Index k, const T* packed_a, const T* b,
                       const Index* b_offsets, T* c, Index c_row_stride, T* scratch) {
  const MicrokernelOf<T>& kernel = kernel_for<T>();
  const Index rows = kernel.rows, columns = kernel.columns;
  T* edge_panel = scratch;
  T* aside = scratch + k * columns;
  for (Index first_column = 0; first_column < n; first_column += columns) {
    const Index width = std::min(columns, n - first_column);
    if (width < columns) {
      for (Index p = 0; p < k; ++p) {
        const T* run = b + b_offsets[p] + first_column;
        T* step = edge_panel + p * columns;
        std::copy_n(run, width, step);
        std::fill(step + width, step + columns, T(0));
      }
    }
    for (Index first_row = 0; first_row < m; first_row += rows) {
      const Index height = std::min(rows, m - first_row);
      const T* a_panel = packed_a + first_row * k;
      const bool whole = height == rows && width == columns;
      T* tile = whole ? c + first_row * c_row_stride + first_column : aside;
      const Index tile_stride = whole ? c_row_stride : columns;
      if (width == columns) {
        kernel.multiply_tile_at_offsets(k, a_panel, b + first_column, b_offsets, tile, tile_stride);
      } else {
        kernel.multiply_tile(k, a_panel, rows, edge_panel, columns, tile, tile_stride, false);
      }
      if (whole) continue;
      for (Index i = 0; i < height; ++i) {
        std::copy_n(aside + i * columns, width, c + (first_row + i) * c_row_stride + first_column);
      }
    }
  }
}

template Index packed_for_offsets_size<float>(Index, Index);
template Index packed_for_offsets_size<double>(Index, Index);
template void pack_for_offsets<float>(Index, Index, const float*, Index, Index, float*);
template void pack_for_offsets<double>(Index, Index, const double*, Index, Index, double*);
template Index matmul_at_offsets_scratch_size<float>(Index);
template Index matmul_at_offsets_scratch_size<double>(Index);
template void matmul_at_offsets<float>(Index, Index, Index, const float*, const float*,
                                       const Index*, float*, Index, float*);
template void matmul_at_offsets<double>(Index, Index, Index, const double*, const double*,
                                        const Index*, double*, Index, double*);

}  // namespace scratchnet::kernels
