#include "scratchnet/kernels/input_major_weights.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "microkernel_shape.hpp"

namespace scratchnet::kernels {
namespace {

// Vectors per block: a part of the work must keep enough multiply-adds in flight (four
// vectors in two chains is eight) without cutting a small layer into parts of padding.
constexpr int kWidestBlock = 4;

// Below this many weights (256 KiB of floats) a layer is one core's work: handing half of it to
// another core costs more than the half.
constexpr Index kWeightsWorthTwoCores = 64 * 1024;

}  // namespace

template <typename T>
InputMajorWeights<T>::InputMajorWeights(ConstMatrixView<T> weight, const T* bias)
    : inputs_(weight.cols()), outputs_(weight.rows()) {
  if (inputs_ > std::numeric_limits<std::int32_t>::max()) {
    throw std::invalid_argument("InputMajorWeights: too many inputs");
  }
  const MicrokernelOf<T>& kernel = current_microkernel(static_cast<T*>(nullptr));
  const Index vectors_needed = (outputs_ + kernel.lanes - 1) / kernel.lanes;
  const int vectors = vectors_needed <= 1 ? 1 : vectors_needed <= 2 ? 2 : kWidestBlock;
  nonzero_inputs_ = kernel.nonzero_inputs;
  sum_of_rows_ = kernel.sum_of_rows[vectors == 1 ? 0 : vectors == 2 ? 1 : 2];
  block_width_ = Index(vectors) * kernel.lanes;
  blocks_ = (outputs_ + block_width_ - 1) / block_width_;

  weights_.assign(std::size_t(blocks_ * inputs_ * block_width_), T(0));
  bias_.assign(std::size_t(blocks_ * block_width_), T(0));
  for (Index block = 0; block < blocks_; ++block) {
    T* rows = weights_.data() + block * inputs_ * block_width_;
    const Index first = block * block_width_;
    const Index width = std::min(block_width_, outputs_ - first);
    for (Index j = 0; j < width; ++j) {
      for (Index p = 0; p < inputs_; ++p)
        rows[p * block_width_ + j] = weight(first + j, p);
    }
  }
  if (bias != nullptr) std::copy_n(bias, outputs_, bias_.begin());
  positions_.resize(std::size_t(blocks_ * inputs_));  // a list per block, for a pool's parts
  values_.resize(std::size_t(blocks_ * inputs_));
  padded_out_.resize(std::size_t(block_width_));
}

// out = xᵀ · weightᵀ + bias, over the rows of weightᵀ whose input is not zero
template <typename T>
void InputMajorWeights<T>::multiply(const T* x, T* out, ThreadPool* pool) {
  const auto sum_block = [&](Index block, std::ptrdiff_t count, const std::int32_t* positions,
                             const T* values) {
    const Index first = block * block_width_;
    const bool full = first + block_width_ <= outputs_;
    T* block_out = full ? out + first : padded_out_.data();
    sum_of_rows_(count, positions, values, weights_.data() + block * inputs_ * block_width_,
                 bias_.data() + first, block_out);
    if (!full) std::copy_n(padded_out_.data(), outputs_ - first, out + first);
  };
  if (pool == nullptr || pool->threads() == 1 || blocks_ == 1 ||
      inputs_ * outputs_ < kWeightsWorthTwoCores) {
    const std::ptrdiff_t count = nonzero_inputs_(inputs_, x, positions_.data(), values_.data());
    for (Index block = 0; block < blocks_; ++block)
      sum_block(block, count, positions_.data(), values_.data());
    return;
  }
  // Each part lists the nonzero inputs itself: cheaper than a core reading another's list
  // (a cache line per 16 inputs, each a trip between the cores): 3.5-4.0 us a sample on 2
  // threads against 4.7-5.4.
  run_parts(pool, blocks_, [&](Index block) {
    std::int32_t* positions = positions_.data() + block * inputs_;
    T* values = values_.data() + block * inputs_;
    sum_block(block, nonzero_inputs_(inputs_, x, positions, values), positions, values);
  });
}

template class InputMajorWeights<float>;
template class InputMajorWeights<double>;

}  // namespace scratchnet::kernels
