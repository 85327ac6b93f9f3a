#pragma once
// What the packing and tiling code knows of a microkernel: the tile it computes and the
// function that computes it. Each instruction set provides one per scalar type.

#include <cstddef>

namespace scratchnet::kernels {

template <typename T>
struct MicrokernelOf {
  int rows;     // rows of a packed panel of a, and of the output tile
  int columns;  // columns of a packed panel of b, and of the output tile
  // tile (+)= Σ_p a[p*rows + i] · b[p*columns + j] for the whole tile, `depth` steps of p.
  void (*multiply_tile)(std::ptrdiff_t depth, const T* a, const T* b, T* tile,
                        std::ptrdiff_t tile_row_stride, bool accumulate);
};

struct Microkernels {
  const char* name;
  MicrokernelOf<float> for_float;
  MicrokernelOf<double> for_double;
};

// One per instruction set, each compiled with its own flags; call only what the CPU supports.
Microkernels avx512_microkernels();
Microkernels avx2_microkernels();
Microkernels portable_microkernels();

}  // namespace scratchnet::kernels
