#include "scratchnet/kernels/im2col.hpp"

#include <algorithm>

namespace scratchnet::kernels {
namespace {

// The window positions [first, end) along an axis whose tap `offset` (tap·dilation − padding)
// lands inside [0, size): position o reads o·stride + offset.
struct Inside {
  Index first;
  Index end;
};

Inside inside(Index offset, Index stride, Index size, Index positions) {
  // o·stride + offset >= 0  <=>  o >= ceil(−offset / stride)
  const Index first = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
  // o·stride + offset <= size − 1  <=>  o <= floor((size − 1 − offset) / stride)
  const Index last = size - 1 - offset;
  const Index end = last < 0 ? 0 : std::min(positions, last / stride + 1);
  return {std::min(first, end), end};
}

// Calls visit(c, row, row_offset, rows, column_offset, columns) for every row of the columns
// matrix, tap (ki, kj) of channel c: position (oy, ox) reads image line oy·s + row_offset at
// column ox·s + column_offset, inside the image for oy in `rows` and ox in `columns`.
template <typename Visit>
void for_each_tap(const ConvolutionGeometry& g, const Visit& visit) {
  for (Index c = 0; c < g.channels; ++c) {
    for (Index ki = 0; ki < g.kernel; ++ki) {
      const Index row_offset = ki * g.dilation - g.padding;
      const Inside rows = inside(row_offset, g.stride, g.height, g.out_height);
      for (Index kj = 0; kj < g.kernel; ++kj) {
        const Index column_offset = kj * g.dilation - g.padding;
        const Inside columns = inside(column_offset, g.stride, g.width, g.out_width);
        const Index row = (c * g.kernel + ki) * g.kernel + kj;
        visit(c, row, row_offset, rows, column_offset, columns);
      }
    }
  }
}

}  // namespace

template <typename T>
void im2col(const T* image, const ConvolutionGeometry& g, T* columns) {
  for_each_tap(g, [&](Index c, Index row, Index row_offset, Inside rows, Index column_offset,
                      Inside inside_columns) {
    T* out = columns + row * g.positions();
    const T* plane = image + c * g.height * g.width;
    std::fill(out, out + rows.first * g.out_width, T(0));
    for (Index oy = rows.first; oy < rows.end; ++oy) {
      const T* line = plane + (oy * g.stride + row_offset) * g.width;
      T* out_line = out + oy * g.out_width;
      std::fill(out_line, out_line + inside_columns.first, T(0));
      if (g.stride == 1) {
        std::copy(line + inside_columns.first + column_offset,
                  line + inside_columns.end + column_offset, out_line + inside_columns.first);
      } else {
        for (Index ox = inside_columns.first; ox < inside_columns.end; ++ox)
          out_line[ox] = line[ox * g.stride + column_offset];
      }
      std::fill(out_line + inside_columns.end, out_line + g.out_width, T(0));
    }
    std::fill(out + rows.end * g.out_width, out + g.positions(), T(0));
  });
}

template <typename T>
void col2im_add(const T* columns, const ConvolutionGeometry& g, T* image) {
  for_each_tap(g, [&](Index c, Index row, Index row_offset, Inside rows, Index column_offset,
                      Inside inside_columns) {
    const T* in = columns + row * g.positions();
    T* plane = image + c * g.height * g.width;
    for (Index oy = rows.first; oy < rows.end; ++oy) {
      T* line = plane + (oy * g.stride + row_offset) * g.width;
      const T* in_line = in + oy * g.out_width;
      for (Index ox = inside_columns.first; ox < inside_columns.end; ++ox)
        line[ox * g.stride + column_offset] += in_line[ox];
    }
  });
}

template void im2col<float>(const float*, const ConvolutionGeometry&, float*);
template void im2col<double>(const double*, const ConvolutionGeometry&, double*);
template void col2im_add<float>(const float*, const ConvolutionGeometry&, float*);
template void col2im_add<double>(const double*, const ConvolutionGeometry&, double*);

}  // namespace scratchnet::kernels
