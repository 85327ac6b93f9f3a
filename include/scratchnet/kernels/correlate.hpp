#pragma once
// Blocks of dot products between rows picked out of arrays by offsets: the product
//   out[i, j] += Σ_s Σ_{p < length} a[s][a_offsets[i] + p] · b[s][b_offsets[j] + p]
// without laying the rows out as matrices first. Conv2d's weight gradient is one: for stride 1,
// the row of the columns matrix for tap (c, ki, kj) is the run of the padded image starting at
// padded(c, ki·d, kj·d) (kernels/im2col.hpp's wide columns), so the gradient
// dweight = doutput · columnsᵀ reads the image where it is, and the samples of a chunk are the
// segments s summed through. Each output is one fixed chain of operations: the bits depend on
// the operands and the CPU's microkernel alone.

#include "scratchnet/matrix.hpp"

namespace scratchnet::kernels {

/// out[i·out_row_stride + j] += Σ_{s < segments} Σ_{p < length} a[s][a_offsets[i] + p] ·
/// b[s][b_offsets[j] + p], for i < rows, j < columns. Runs on the calling thread.
template <typename T>
void correlate_add(Index rows, Index columns, Index length, Index segments, const T* const* a,
                   const Index* a_offsets, const T* const* b, const Index* b_offsets, T* out,
                   Index out_row_stride);

}  // namespace scratchnet::kernels
