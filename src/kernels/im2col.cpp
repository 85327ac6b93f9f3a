#include "scratchnet/kernels/im2col.hpp"

#include <algorithm>
#include <cstring>

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

// Runs of values within one line of an image.
template <typename T>
inline void copy_run(const T* __restrict from, Index count, T* __restrict to) {
  for (Index i = 0; i < count; ++i)
    to[i] = from[i];
}

template <typename T>
inline void zero_run(T* to, Index count) {
  for (Index i = 0; i < count; ++i)
    to[i] = T(0);
}

template <typename T>
void im2col(const T* image, const ConvolutionGeometry& g, T* columns) {
  for_each_tap(g, [&](Index c, Index row, Index row_offset, Inside rows, Index column_offset,
                      Inside inside) {
    T* out = columns + row * g.positions();
    const T* plane = image + c * g.height * g.width;
    zero_run(out, rows.first * g.out_width);
    for (Index oy = rows.first; oy < rows.end; ++oy) {
      const T* line = plane + (oy * g.stride + row_offset) * g.width;
      T* out_line = out + oy * g.out_width;
      zero_run(out_line, inside.first);
      if (g.stride == 1) {
        copy_run(line + inside.first + column_offset, inside.end - inside.first,
                 out_line + inside.first);
      } else {
        for (Index ox = inside.first; ox < inside.end; ++ox)
          out_line[ox] = line[ox * g.stride + column_offset];
      }
      zero_run(out_line + inside.end, g.out_width - inside.end);
    }
    zero_run(out + rows.end * g.out_width, (g.out_height - rows.end) * g.out_width);
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

template <typename T>
void pad_image(const T* image, const ConvolutionGeometry& g, T* padded) {
  const Index padded_width = g.padded_width();
  for (Index c = 0; c < g.channels; ++c) {
    const T* plane = image + c * g.height * g.width;
    T* out = padded + c * g.padded_height() * padded_width;
    zero_run(out, g.padding * padded_width + g.padding);  // the top rows, the first left edge
    out += g.padding * padded_width + g.padding;
    for (Index y = 0; y < g.height; ++y, out += padded_width) {
      copy_run(plane + y * g.width, g.width, out);
      // this line's right edge and the next one's left edge (after the last, the bottom rows)
      zero_run(out + g.width, 2 * g.padding);
    }
    zero_run(out, g.padding * padded_width - g.padding);  // the rest of the bottom rows
  }
  const Index slack = (g.kernel - 1) * g.dilation;
  zero_run(padded + g.padded_size() - slack, slack);
}

template <typename T>
void crop_image(const T* padded, const ConvolutionGeometry& g, T* image) {
  for (Index c = 0; c < g.channels; ++c) {
    const T* plane = padded + (c * g.padded_height() + g.padding) * g.padded_width() + g.padding;
    for (Index y = 0; y < g.height; ++y)
      copy_run(plane + y * g.padded_width(), g.width, image + (c * g.height + y) * g.width);
  }
}

// Calls visit(row, start) for every row of the wide columns: row (c, ki, kj) is the run of the
// padded image from `start`, padded(c, ki·d, kj·d), wide_positions() long.
template <typename Visit>
void for_each_wide_run(const ConvolutionGeometry& g, const Visit& visit) {
  for (Index c = 0; c < g.channels; ++c) {
    for (Index ki = 0; ki < g.kernel; ++ki) {
      for (Index kj = 0; kj < g.kernel; ++kj) {
        visit((c * g.kernel + ki) * g.kernel + kj,
              (c * g.padded_height() + ki * g.dilation) * g.padded_width() + kj * g.dilation);
      }
    }
  }
}

std::vector<Index> wide_run_starts(const ConvolutionGeometry& g) {
  std::vector<Index> starts(std::size_t(g.patch_size()));
  for_each_wide_run(g, [&](Index row, Index start) { starts[std::size_t(row)] = start; });
  return starts;
}

template <typename T>
void wide_im2col(const T* padded, const ConvolutionGeometry& g, T* columns) {
  const Index run = g.wide_positions();
  for_each_wide_run(g, [&](Index row, Index start) {
    // Runs of hundreds of values: memcpy's wide moves beat a loop's.
    std::memcpy(columns + row * run, padded + start, std::size_t(run) * sizeof(T));
  });
}

template <typename T>
void wide_col2im_add(const T* columns, const ConvolutionGeometry& g, T* padded) {
  const Index run = g.wide_positions();
  for_each_wide_run(g, [&](Index row, Index start) {
    const T* __restrict in = columns + row * run;
    T* __restrict out = padded + start;
    for (Index q = 0; q < run; ++q)
      out[q] += in[q];
  });
}

template void im2col<float>(const float*, const ConvolutionGeometry&, float*);
template void im2col<double>(const double*, const ConvolutionGeometry&, double*);
template void col2im_add<float>(const float*, const ConvolutionGeometry&, float*);
template void col2im_add<double>(const double*, const ConvolutionGeometry&, double*);
template void pad_image<float>(const float*, const ConvolutionGeometry&, float*);
template void pad_image<double>(const double*, const ConvolutionGeometry&, double*);
template void crop_image<float>(const float*, const ConvolutionGeometry&, float*);
template void crop_image<double>(const double*, const ConvolutionGeometry&, double*);
template void wide_im2col<float>(const float*, const ConvolutionGeometry&, float*);
template void wide_im2col<double>(const double*, const ConvolutionGeometry&, double*);
template void wide_col2im_add<float>(const float*, const ConvolutionGeometry&, float*);
template void wide_col2im_add<double>(const double*, const ConvolutionGeometry&, double*);

}  // namespace scratchnet::kernels
