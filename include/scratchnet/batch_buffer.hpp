#pragma once
// Storage for a batch-shaped matrix that grows to the largest batch it has held and never
// shrinks. A training loop's last, partial batch and the next epoch's full ones then reuse the
// same memory: after the largest batch, nothing allocates.

#include <vector>

#include "scratchnet/matrix.hpp"

namespace scratchnet {

template <typename T>
class BatchBuffer {
 public:
  /// Shapes the buffer as [rows, cols] and returns a view of it; allocates only when rows·cols
  /// exceeds every earlier size. Values are unspecified after a reshape.
  MatrixView<T> reshape(Index rows, Index cols) {
    const auto needed = static_cast<std::size_t>(rows * cols);
    if (needed > storage_.size()) storage_.resize(needed);
    rows_ = rows;
    cols_ = cols;
    return view();
  }

  /// The current [rows, cols] contents.
  MatrixView<T> view() { return {storage_.data(), rows_, cols_}; }
  ConstMatrixView<T> view() const { return {storage_.data(), rows_, cols_}; }
  /// The current contents, read-only: what a layer returns.
  ConstMatrixView<T> const_view() const { return view(); }

  Index rows() const { return rows_; }
  Index cols() const { return cols_; }

 private:
  std::vector<T> storage_;
  Index rows_ = 0;
  Index cols_ = 0;
};

}  // namespace scratchnet
