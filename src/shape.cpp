#include "scratchnet/shape.hpp"

#include <limits>
#include <stdexcept>

namespace scratchnet {

Shape::Shape(std::vector<Index> dims) : dims_(std::move(dims)) {
  if (dims_.empty()) throw std::invalid_argument("a sample shape needs at least one dimension");
  for (const Index dim : dims_) {
    if (dim < 1) {
      throw std::invalid_argument("sample shape " + text() +
                                  ": every dimension must be at least 1");
    }
    if (elements_ > std::numeric_limits<Index>::max() / dim) {
      throw std::invalid_argument("sample shape " + text() + " has too many elements");
    }
    elements_ *= dim;
  }
}

std::string Shape::text() const {
  std::string text = "[";
  for (std::size_t i = 0; i < dims_.size(); ++i)
    text += (i == 0 ? "" : ", ") + std::to_string(dims_[i]);
  return text + "]";
}

}  // namespace scratchnet
