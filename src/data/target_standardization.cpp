#include "scratchnet/data/target_standardization.hpp"

#include <stdexcept>
#include <string>

#include "scratchnet/data/standardization.hpp"

namespace scratchnet::data {
namespace {

void require_one_column(const Matrix<double>& targets) {
  if (targets.cols() != 1) {
    throw std::invalid_argument("a target standardization is for one target column, not " +
                                std::to_string(targets.cols()));
  }
}

}  // namespace

// One column standardized as a feature column is: the same numerics, and the same bits.
TargetStandardization TargetStandardization::fit(const Matrix<double>& targets,
                                                 std::span<const Index> rows) {
  require_one_column(targets);
  const Standardization fitted = Standardization::fit(targets, rows);
  return {fitted.mean[0], fitted.scale[0]};
}

void TargetStandardization::apply(Matrix<double>& targets) const {
  require_one_column(targets);
  Standardization{{mean}, {scale}}.apply(targets);
}

}  // namespace scratchnet::data
