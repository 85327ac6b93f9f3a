#pragma once
// The shape of one sample, outermost dimension first: {features} for a row of a table,
// {channels, height, width} for an image. A batch is still stored as a row-major matrix
// [batch, elements()], so an image batch is NCHW: each row holds one image's channels one after
// another, each channel's rows one after another.

#include <initializer_list>
#include <string>
#include <vector>

#include "scratchnet/matrix.hpp"

namespace scratchnet {

class Shape {
 public:
  /// {dims...}; throws std::invalid_argument when there are none, one is below 1, or their
  /// product does not fit in an Index.
  Shape(std::initializer_list<Index> dims) : Shape(std::vector<Index>(dims)) {}
  explicit Shape(std::vector<Index> dims);
  /// {features}: a flat sample, so that an Index stands for one (Sequential<float> model(784)).
  Shape(Index features)
      : Shape(std::vector<Index>{features}) {}  // NOLINT(google-explicit-constructor)

  const std::vector<Index>& dims() const { return dims_; }
  std::size_t rank() const { return dims_.size(); }
  Index operator[](std::size_t axis) const { return dims_.at(axis); }

  /// The number of values in a sample: the product of the dimensions.
  Index elements() const { return elements_; }

  /// Whether the sample is a plain row of features (rank 1).
  bool is_flat() const { return dims_.size() == 1; }

  /// "[1, 28, 28]", as torch.Size prints.
  std::string text() const;

  bool operator==(const Shape& other) const { return dims_ == other.dims_; }

 private:
  std::vector<Index> dims_;
  Index elements_ = 1;
};

}  // namespace scratchnet
