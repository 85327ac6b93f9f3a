#pragma once
// The seed notebook's initialiser: weights uniform in [0, 1), drawn as np.random.rand draws them.

#include "scratchnet/matrix.hpp"
#include "scratchnet/random.hpp"

namespace scratchnet::init {

/// Fills a Dense weight [out, in] with exactly the numbers np.random.rand(in, out) would return
/// from the same generator state, transposed: the seed stores its weights as [in, out].
template <typename T>
void numpy_uniform(MatrixView<T> weight, Random& random);

}  // namespace scratchnet::init
