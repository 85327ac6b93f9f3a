#pragma once
// A Dense layer's weight copied input-major, for one sample at a time:
//
//   out[j] = Σ_p x[p] · weight[j, p] + bias[j]      x [in], weight [out, in], out [out]
//
// computed as a sum of rows of weightᵀ, one row per input. Laid out so, the weights a sample
// needs form one stream read front to back, and an input that is zero skips its row altogether:
// half the pixels of a Fashion-MNIST image and about half the outputs of a ReLU are zero, so a
// sample reads about half the weights. (Stored as the layer keeps them, [out, in], every output
// reads a whole row of weights whatever the inputs are.)
//
// The outputs are cut into blocks a few vectors wide, each block stored [in, width] on its own,
// so that one thread's part is one contiguous stream; the cut depends on the sizes alone, so
// the result is the same for any thread pool, or none.
//
// A skipped term would have added x[p] · weight[j, p] = ±0 to a sum that starts at +0, which
// changes no bit; the one difference from the full sum is a non-finite weight times a zero
// input, which counts as zero here (as in the reference BLAS's gemv) where IEEE gives NaN.

#include <cstddef>
#include <cstdint>
#include <vector>

#include "scratchnet/aligned_allocator.hpp"
#include "scratchnet/kernels/thread_pool.hpp"
#include "scratchnet/matrix.hpp"

namespace scratchnet::kernels {

template <typename T>
class InputMajorWeights {
 public:
  /// Copies `weight` [out, in] and `bias` [out] (nullptr: no bias), laid out for the
  /// microkernel the matrix products run now.
  InputMajorWeights(ConstMatrixView<T> weight, const T* bias);

  Index inputs() const { return inputs_; }
  Index outputs() const { return outputs_; }

  /// out[j] = Σ_p x[p] · weight[j, p] + bias[j] for x [inputs()], out [outputs()]; reads the
  /// weights of the nonzero x[p] only. Not for two threads at once: it keeps the list of them.
  void multiply(const T* x, T* out, ThreadPool* pool);

 private:
  Index inputs_;
  Index outputs_;
  Index block_width_;  // outputs per block: 1, 2 or 4 vectors
  Index blocks_;
  using SumOfRows = void (*)(std::ptrdiff_t count, const std::int32_t* positions, const T* values,
                             const T* rows, const T* bias, T* out);
  std::ptrdiff_t (*nonzero_inputs_)(std::ptrdiff_t length, const T* x, std::int32_t* positions,
                                    T* values);
  SumOfRows sum_of_rows_;
  AlignedVector<T> weights_;  // blocks_ blocks of [inputs_, block_width_], zero-padded
  AlignedVector<T> bias_;     // [blocks_ * block_width_], zero-padded
  // The nonzero inputs in order, their positions and values: one list per block, as each part
  // on a pool makes its own.
  std::vector<std::int32_t> positions_;
  std::vector<T> values_;
  AlignedVector<T> padded_out_;  // the last block's outputs, when it is not full
};

}  // namespace scratchnet::kernels
