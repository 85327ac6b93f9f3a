#pragma once
// A matrix product whose right operand is read where it lies, one run per step of k:
//   c[i, j] = Σ_p a[i, p] · b[b_offsets[p] + j]
// (XNNPACK's indirect GEMM, with offsets for pointers). Conv2d's forward pass for stride 1 is
// one: b_offsets[p] is where tap p's run starts in the padded image (kernels/im2col.hpp's wide
// columns), so the columns matrix is never written. a is packed once into the microkernel's
// panels and reused for every image; each output is one fixed chain of multiply-adds.

#include "scratchnet/matrix.hpp"

namespace scratchnet::kernels {

/// Values pack_for_offsets() writes for an a of m × k.
template <typename T>
Index packed_for_offsets_size(Index m, Index k);

/// Packs a [m, k], a(i, p) at a[i·row_stride + p·column_stride], for matmul_at_offsets.
template <typename T>
void pack_for_offsets(Index m, Index k, const T* a, Index row_stride, Index column_stride,
                      T* packed);

/// Values of scratch matmul_at_offsets needs for a depth of k.
template <typename T>
Index matmul_at_offsets_scratch_size(Index k);

/// c[i·c_row_stride + j] = Σ_{p < k} a[i, p] · b[b_offsets[p] + j] for i < m, j < n, with a
/// packed by pack_for_offsets. Reads b[b_offsets[p] + j] for j < n only. Runs on the calling
/// thread.
template <typename T>
void matmul_at_offsets(Index m, Index n, Index k, const T* packed_a, const T* b,
                       const Index* b_offsets, T* c, Index c_row_stride, T* scratch);

}  // namespace scratchnet::kernels
