#include "scratchnet/kernels/gemm.hpp"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string_view>

#include "microkernel_shape.hpp"
#include "scratchnet/kernels/cpu.hpp"
#include "scratchnet/kernels/matmul.hpp"
#include "small_product.hpp"

namespace scratchnet::kernels {
namespace {

// Steps of k per pass over a tile: a panel of b this deep (256 × 32 floats, 32 KiB) stays in the
// L1 cache while the tiles of one column take turns with it. Fixed, so results never depend on
// anything but the operands.
constexpr Index kDepthBlock = 256;

// Rows of output one part of a job covers: enough tiles that a part is worth handing out,
// few enough that two threads share a batch of 64.
constexpr Index kRowsPerPart = 32;

// Below this many multiply-adds, packing costs more than it saves: plain loops do it.
constexpr Index kSmallProduct = 8 * 1024;

// Dot products at least this long are worth vectors even in a tiny product.
constexpr Index kLongDot = 32;

Microkernels widest_microkernels() {
#if defined(__x86_64__)
  if (cpu_has("avx512")) return avx512_microkernels();
  if (cpu_has("avx2")) return avx2_microkernels();
#elif defined(__aarch64__)
  if (cpu_has("neon")) return neon_microkernels();
#endif
  return portable_microkernels();
}

Microkernels& current_microkernels() {
  static Microkernels kernels = widest_microkernels();
  return kernels;
}

// Packing space that grows to the largest product seen and is then reused, so that a training
// step allocates nothing. One per calling thread; the pool's workers write into the caller's.
class PackingSpace {
 public:
  template <typename T>
  T* reserve(std::size_t count) {
    const std::size_t bytes = count * sizeof(T);
    if (bytes > capacity_) {
      storage_.reset(static_cast<std::byte*>(std::aligned_alloc(kAlignment, round_up(bytes))));
      if (!storage_) throw std::bad_alloc();
      capacity_ = round_up(bytes);
    }
    return reinterpret_cast<T*>(storage_.get());
  }

 private:
  static constexpr std::size_t kAlignment = 64;
  static std::size_t round_up(std::size_t bytes) {
    return (bytes + kAlignment - 1) / kAlignment * kAlignment;
  }
  struct Free {
    void operator()(std::byte* p) const { std::free(p); }
  };
  std::unique_ptr<std::byte, Free> storage_;
  std::size_t capacity_ = 0;
};

// A square of 16 bytes a side (4 floats or 2 doubles) transposed in vector registers: the
// baseline of every 64-bit target has 16-byte vectors (SSE2, NEON). out[j·out_stride + i] =
// in[i·in_stride + j].
template <typename T>
struct Square {
  static constexpr Index kSide = 16 / sizeof(T);
  using Vector [[gnu::vector_size(16), gnu::aligned(alignof(T))]] = T;

  static Vector load(const T* p) {
    Vector v;
    std::memcpy(&v, p, sizeof v);
    return v;
  }
  static void store(T* p, Vector v) { std::memcpy(p, &v, sizeof v); }

  static void transpose(const T* in, Index in_stride, T* out, Index out_stride) {
    if constexpr (kSide == 4) {
      const Vector r0 = load(in), r1 = load(in + in_stride), r2 = load(in + 2 * in_stride),
                   r3 = load(in + 3 * in_stride);
      const Vector low01 = __builtin_shufflevector(r0, r1, 0, 4, 1, 5);   // a0 b0 a1 b1
      const Vector high01 = __builtin_shufflevector(r0, r1, 2, 6, 3, 7);  // a2 b2 a3 b3
      const Vector low23 = __builtin_shufflevector(r2, r3, 0, 4, 1, 5);
      const Vector high23 = __builtin_shufflevector(r2, r3, 2, 6, 3, 7);
      store(out, __builtin_shufflevector(low01, low23, 0, 1, 4, 5));
      store(out + out_stride, __builtin_shufflevector(low01, low23, 2, 3, 6, 7));
      store(out + 2 * out_stride, __builtin_shufflevector(high01, high23, 0, 1, 4, 5));
      store(out + 3 * out_stride, __builtin_shufflevector(high01, high23, 2, 3, 6, 7));
    } else {
      static_assert(kSide == 2);
      const Vector r0 = load(in), r1 = load(in + in_stride);
      store(out, __builtin_shufflevector(r0, r1, 0, 2));
      store(out + out_stride, __builtin_shufflevector(r0, r1, 1, 3));
    }
  }
};

// Copies `count` (≤ width) lines of `source` into a k-major panel of `width` values per step of
// k, zero-padded: panel[p * width + l] = line l's element p.
template <typename T>
void pack_panel(const T* first, Index line_stride, Index step_stride, Index count, Index width,
                Index depth, T* panel) {
  // The lanes past `count` are zeros: one fill of the whole panel, then the lines over it. A fill
  // of the few lanes left at each step was a call to memset per step, half the time of a product
  // as narrow as Conv2d's weight gradient (25 of 32 lanes, 784 steps a sample).
  if (count < width) std::fill(panel, panel + depth * width, T(0));
  if (step_stride == 1) {
    // Each line is contiguous: a transpose. Done 16 steps at a time, so the lines' cache lines
    // and the panel rows being written both stay in L1.
    constexpr Index kSteps = 16;
    constexpr Index kSquare = Square<T>::kSide;
    for (Index first_step = 0; first_step < depth; first_step += kSteps) {
      const Index steps = std::min(kSteps, depth - first_step);
      const Index whole_steps = steps - steps % kSquare;
      Index l = 0;
      for (; l + kSquare <= count; l += kSquare) {
        const T* lines = first + l * line_stride + first_step;
        T* out = panel + first_step * width + l;
        for (Index p = 0; p < whole_steps; p += kSquare)
          Square<T>::transpose(lines + p, line_stride, out + p * width, width);
        for (Index p = whole_steps; p < steps; ++p) {
          for (Index i = 0; i < kSquare; ++i)
            out[p * width + i] = lines[i * line_stride + p];
        }
      }
      for (; l < count; ++l) {
        const T* line = first + l * line_stride + first_step;
        T* out = panel + first_step * width + l;
        for (Index p = 0; p < steps; ++p)
          out[p * width] = line[p];
      }
    }
  } else {  // the lines sit side by side: copy a run of `count` per step
    for (Index p = 0; p < depth; ++p) {
      const T* step = first + p * step_stride;
      T* out = panel + p * width;
      if (line_stride == 1) {
        // A run is a few dozen bytes: a loop, where a call to memcpy per run cost more.
        for (Index l = 0; l < count; ++l)
          out[l] = step[l];
      } else {
        for (Index l = 0; l < count; ++l)
          out[l] = step[l * line_stride];
      }
    }
  }
}

template <typename T>
struct Product {
  Index m, n, k;
  StridedMatrix<T> a, b;
  T* c;
  Index c_row_stride;
  bool accumulate;
  MicrokernelOf<T> kernel;
  Index row_panels, column_panels;
  // When a is row-major, the kernel reads its full panels in place and only a last, partial
  // panel is packed (zero-padded); otherwise every panel of a is packed. Likewise b, when each
  // of its rows (one step of k) is contiguous.
  Index packed_a_panels, packed_b_panels;
  T* packed_a;  // packed_a_panels panels of [k, kernel.rows]
  T* packed_b;  // packed_b_panels panels of [k, kernel.columns]

  Index first_packed_a_panel() const { return row_panels - packed_a_panels; }
  Index first_packed_b_panel() const { return column_panels - packed_b_panels; }

  void pack(Index part) const {
    if (part < packed_a_panels) {
      const Index first_row = (first_packed_a_panel() + part) * kernel.rows;
      pack_panel(a.data + first_row * a.row_stride, a.row_stride, a.column_stride,
                 std::min<Index>(kernel.rows, m - first_row), kernel.rows, k,
                 packed_a + part * k * kernel.rows);
    } else {
      const Index panel = part - packed_a_panels;
      const Index first_column = (first_packed_b_panel() + panel) * kernel.columns;
      pack_panel(b.data + first_column * b.column_stride, b.column_stride, b.row_stride,
                 std::min<Index>(kernel.columns, n - first_column), kernel.columns, k,
                 packed_b + panel * k * kernel.columns);
    }
  }

  // One tile over steps [first_step, first_step + steps) of k.
  void multiply_tile(Index row_panel, Index column_panel, Index first_step, Index steps) const {
    const bool b_in_place = column_panel < first_packed_b_panel();
    const Index first_column = column_panel * kernel.columns;
    const T* b_panel = b_in_place
                           ? b.data + first_step * b.row_stride + first_column
                           : packed_b + ((column_panel - first_packed_b_panel()) * k + first_step) *
                                            kernel.columns;
    const Index b_row_stride = b_in_place ? b.row_stride : kernel.columns;
    const Index first_row = row_panel * kernel.rows;
    const Index rows = std::min<Index>(kernel.rows, m - first_row);
    const Index columns = std::min<Index>(kernel.columns, n - first_column);
    T* out = c + first_row * c_row_stride + first_column;
    const bool add = accumulate || first_step > 0;
    const bool in_place = row_panel < first_packed_a_panel();
    const auto tile_kernel = in_place ? kernel.multiply_tile_by_rows_of_a : kernel.multiply_tile;
    const T* a_panel =
        in_place ? a.data + first_row * a.row_stride + first_step
                 : packed_a + ((row_panel - first_packed_a_panel()) * k + first_step) * kernel.rows;
    if (rows == kernel.rows && columns == kernel.columns) {
      tile_kernel(steps, a_panel, a.row_stride, b_panel, b_row_stride, out, c_row_stride, add);
      return;
    }
    // An edge tile: compute the whole tile aside, keep the part inside c.
    alignas(64) T tile[16 * 64];
    const Index tile_stride = kernel.columns;
    if (add) {
      for (Index i = 0; i < rows; ++i)
        std::copy_n(out + i * c_row_stride, columns, tile + i * tile_stride);
    }
    tile_kernel(steps, a_panel, a.row_stride, b_panel, b_row_stride, tile, tile_stride, add);
    for (Index i = 0; i < rows; ++i)
      std::copy_n(tile + i * tile_stride, columns, out + i * c_row_stride);
  }

  // A part: one column of tiles, kRowsPerPart rows tall, through all of k. The panel of b stays
  // in cache while the panels of a take turns with it.
  void multiply(Index part) const {
    const Index panels_per_part = std::max<Index>(1, kRowsPerPart / kernel.rows);
    const Index row_groups = (row_panels + panels_per_part - 1) / panels_per_part;
    const Index column_panel = part / row_groups;
    const Index first_panel = (part % row_groups) * panels_per_part;
    const Index last_panel = std::min(row_panels, first_panel + panels_per_part);
    for (Index first_step = 0; first_step < k; first_step += kDepthBlock) {
      const Index steps = std::min(kDepthBlock, k - first_step);
      for (Index row_panel = first_panel; row_panel < last_panel; ++row_panel)
        multiply_tile(row_panel, column_panel, first_step, steps);
    }
  }

  Index parts() const {
    const Index panels_per_part = std::max<Index>(1, kRowsPerPart / kernel.rows);
    return column_panels * ((row_panels + panels_per_part - 1) / panels_per_part);
  }
};

// A few rows of a times b stored as rows (b(p, j) = b_row_j[p], as a Dense layer's weight):
// one dot product per output, a fixed block of columns per part.
template <typename T>
void multiply_by_rows(Index m, Index n, Index k, StridedMatrix<T> a, StridedMatrix<T> b, T* c,
                      Index c_row_stride, bool accumulate, const MicrokernelOf<T>& kernel,
                      ThreadPool* pool) {
  constexpr Index kColumnsPerPart = 16;
  static_assert(kColumnsPerPart % kDotRows == 0);
  run_slices(pool, n, kColumnsPerPart, [&](Index first, Index columns) {
    T sums[kColumnsPerPart];
    for (Index i = 0; i < m; ++i) {
      const T* a_row = a.data + i * a.row_stride;
      const T* b_row = b.data + first * b.column_stride;
      Index j = 0;
      for (; j + kDotRows <= columns; j += kDotRows)
        kernel.dots(k, a_row, b_row + j * b.column_stride, b.column_stride, sums + j);
      for (; j < columns; ++j)
        kernel.dot(k, a_row, b_row + j * b.column_stride, b.column_stride, sums + j);
      T* out = c + i * c_row_stride + first;
      for (j = 0; j < columns; ++j)
        out[j] = accumulate ? out[j] + sums[j] : sums[j];
    }
  });
}

// Whether a product takes multiply_by_rows: a single row (or a few) of long dot products, one per
// output, in vectors. (The scalar loops would run each as one chain of dependent additions.)
template <typename T>
bool takes_dot_products(Index m, Index k, bool a_contiguous_along_k, bool b_contiguous_along_k,
                        const MicrokernelOf<T>& kernel) {
  return m < kernel.rows / 2 && a_contiguous_along_k && b_contiguous_along_k && k >= kLongDot;
}

}  // namespace

const MicrokernelOf<float>& current_microkernel(float*) {
  return current_microkernels().for_float;
}
const MicrokernelOf<double>& current_microkernel(double*) {
  return current_microkernels().for_double;
}

template <typename T>
void gemm(Index m, Index n, Index k, StridedMatrix<T> a, StridedMatrix<T> b, T* c,
          Index c_row_stride, bool accumulate, ThreadPool* pool) {
  if (m == 0 || n == 0) return;
  const bool small = m * n * k <= kSmallProduct;
  const MicrokernelOf<T>& kernel = current_microkernel(static_cast<T*>(nullptr));
  if (takes_dot_products(m, k, a.column_stride == 1, b.row_stride == 1, kernel)) {
    multiply_by_rows(m, n, k, a, b, c, c_row_stride, accumulate, kernel, small ? nullptr : pool);
    return;
  }
  if (small) {
    multiply_small(m, n, k, a, b, c, c_row_stride, accumulate);
    return;
  }
  Product<T> product{m,      n, k, a, b, c,       c_row_stride, accumulate,
                     kernel, 0, 0, 0, 0, nullptr, nullptr};
  product.row_panels = (m + kernel.rows - 1) / kernel.rows;
  product.column_panels = (n + kernel.columns - 1) / kernel.columns;
  const bool a_in_place = a.column_stride == 1;
  product.packed_a_panels = a_in_place ? (m % kernel.rows != 0 ? 1 : 0) : product.row_panels;
  const bool b_in_place = b.column_stride == 1;
  product.packed_b_panels = b_in_place ? (n % kernel.columns != 0 ? 1 : 0) : product.column_panels;
  const std::size_t a_size = std::size_t(product.packed_a_panels * kernel.rows * k);
  const std::size_t b_size = std::size_t(product.packed_b_panels * kernel.columns * k);
  thread_local PackingSpace space;
  product.packed_a = space.reserve<T>(a_size + b_size);
  product.packed_b = product.packed_a + a_size;

  run_parts(pool, product.packed_a_panels + product.packed_b_panels,
            [&](Index part) { product.pack(part); });
  run_parts(pool, product.parts(), [&](Index part) { product.multiply(part); });
}

template <typename T>
bool gemm_adds_in_order(Index m, Index n, Index k, bool a_contiguous_along_k,
                        bool b_contiguous_along_k) {
  const MicrokernelOf<T>& kernel = current_microkernel(static_cast<T*>(nullptr));
  return m * n * k <= kSmallProduct &&
         !takes_dot_products(m, k, a_contiguous_along_k, b_contiguous_along_k, kernel);
}

const char* matmul_kernel() {
  return current_microkernels().name;
}

bool use_matmul_kernel(std::string_view name) {
  if (!cpu_has(name)) return false;  // cpu_has knows only this build's paths
#if defined(__x86_64__)
  if (name == "avx512") current_microkernels() = avx512_microkernels();
  if (name == "avx2") current_microkernels() = avx2_microkernels();
#elif defined(__aarch64__)
  if (name == "neon") current_microkernels() = neon_microkernels();
#endif
  if (name == "portable") current_microkernels() = portable_microkernels();
  return true;
}

template bool gemm_adds_in_order<float>(Index, Index, Index, bool, bool);
template bool gemm_adds_in_order<double>(Index, Index, Index, bool, bool);
template void gemm<float>(Index, Index, Index, StridedMatrix<float>, StridedMatrix<float>, float*,
                          Index, bool, ThreadPool*);
template void gemm<double>(Index, Index, Index, StridedMatrix<double>, StridedMatrix<double>,
                           double*, Index, bool, ThreadPool*);

}  // namespace scratchnet::kernels
