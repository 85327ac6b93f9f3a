#include "scratchnet/layers/layer.hpp"

#include <functional>
#include <numeric>

namespace scratchnet {

Index ParameterShape::size() const {
  return std::accumulate(shape.begin(), shape.end(), Index{1}, std::multiplies<>());
}

Index BufferShape::size() const {
  return std::accumulate(shape.begin(), shape.end(), Index{1}, std::multiplies<>());
}

}  // namespace scratchnet
