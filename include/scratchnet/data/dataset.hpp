#pragma once
// Where training rows come from. A data set hands out any rows it is asked for, copied into a
// batch that the caller owns, so a loader may keep its rows in any form (bytes, files) and turn
// only the rows of one batch into T.
//   features [rows, features]; targets [rows, target_width] (class indices, as T, in a
//   [rows, 1] column for multiclass tasks). A row holds one sample of sample_shape(), whose
//   elements() are features(): an image [channels, height, width] row-major (NCHW).

#include <memory>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "scratchnet/matrix.hpp"
#include "scratchnet/random.hpp"
#include "scratchnet/shape.hpp"

namespace scratchnet {

template <typename T>
class Dataset {
 public:
  virtual ~Dataset() = default;

  /// Number of rows.
  virtual Index size() const = 0;
  /// Features per row.
  virtual Index features() const = 0;
  /// Target values per row.
  virtual Index target_width() const = 0;
  /// The shape of one row's sample. Default: flat, [features()].
  virtual Shape sample_shape() const { return features(); }

  /// Copies the rows `rows` (in that order) into `features` [rows.size(), features()] and
  /// `targets` [rows.size(), target_width()]. Safe to call from several threads at once with
  /// disjoint outputs (training gathers a batch in slices, in parallel).
  virtual void gather(std::span<const Index> rows, MatrixView<T> features,
                      MatrixView<T> targets) const = 0;
};

/// A data set held as two matrices in memory.
template <typename T>
class InMemoryDataset final : public Dataset<T> {
 public:
  /// Rows of `features` [n, features] paired with rows of `targets` [n, width], each row a
  /// sample of `sample_shape` (flat when not given); throws std::invalid_argument when the row
  /// counts differ or the shape does not have `features` elements.
  InMemoryDataset(Matrix<T> features, Matrix<T> targets,
                  std::optional<Shape> sample_shape = std::nullopt);

  Index size() const override { return features_.rows(); }
  Index features() const override { return features_.cols(); }
  Index target_width() const override { return targets_.cols(); }
  Shape sample_shape() const override { return sample_shape_ ? *sample_shape_ : features(); }
  void gather(std::span<const Index> rows, MatrixView<T> features,
              MatrixView<T> targets) const override;

 private:
  Matrix<T> features_;
  Matrix<T> targets_;
  std::optional<Shape> sample_shape_;
};

/// Some rows of another data set, which must outlive it.
template <typename T>
class Subset final : public Dataset<T> {
 public:
  /// The rows `rows` of `parent`, in that order.
  Subset(const Dataset<T>& parent, std::vector<Index> rows);

  Index size() const override { return Index(rows_.size()); }
  Index features() const override { return parent_->features(); }
  Index target_width() const override { return parent_->target_width(); }
  Shape sample_shape() const override { return parent_->sample_shape(); }
  void gather(std::span<const Index> rows, MatrixView<T> features,
              MatrixView<T> targets) const override;

  /// Which parent rows this subset holds.
  const std::vector<Index>& parent_rows() const { return rows_; }

 private:
  const Dataset<T>* parent_;
  std::vector<Index> rows_;
};

/// Row numbers 0..rows−1 split at random into (training, validation), the validation part
/// holding floor(fraction · rows) rows (at least one when fraction > 0), each part in ascending
/// order: the first of np.random.permutation(rows) go to validation. Throws
/// std::invalid_argument unless 0 <= fraction < 1 and both parts are non-empty (or the
/// validation part is empty for fraction 0).
std::pair<std::vector<Index>, std::vector<Index>> split_rows(Index rows, double fraction,
                                                             Random& random);

/// split_rows applied to `data`, as two subsets of it.
template <typename T>
std::pair<Subset<T>, Subset<T>> split_validation(const Dataset<T>& data, double fraction,
                                                 Random& random);

}  // namespace scratchnet
