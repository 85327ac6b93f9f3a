#include "scratchnet/init/numpy_uniform.hpp"

namespace scratchnet::init {

template <typename T>
void numpy_uniform(MatrixView<T> weight, Random& random) {
  // numpy fills its [in, out] array row by row, which is our [out, in] weight column by column.
  for (Index in = 0; in < weight.cols(); ++in) {
    for (Index out = 0; out < weight.rows(); ++out)
      weight(out, in) = T(random.uniform());
  }
}

template void numpy_uniform<float>(MatrixView<float>, Random&);
template void numpy_uniform<double>(MatrixView<double>, Random&);

}  // namespace scratchnet::init
