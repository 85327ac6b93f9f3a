#pragma once
// The loss contract: forward(prediction, target) returns the scalar loss and keeps what
// backward needs; backward() returns dloss/dprediction with the prediction's shape.
//   prediction [batch, outputs]
//   target     [batch, outputs] for regression and binary tasks (0/1 per output),
//              [batch, 1] holding class indices 0..outputs−1 (as T) for multiclass tasks

#include <stdexcept>
#include <string>

#include "scratchnet/batch_buffer.hpp"
#include "scratchnet/matrix.hpp"

namespace scratchnet {

/// What a loss's targets mean, which decides how accuracy is measured.
enum class Task {
  regression,  // real-valued targets; no accuracy
  binary,      // one 0/1 target per output; a logit > 0 predicts 1
  multiclass,  // one class index per row; the largest logit is the prediction
};

template <typename T>
class Loss {
 public:
  virtual ~Loss() = default;

  /// The kind of target this loss takes.
  virtual Task task() const = 0;

  /// The scalar loss of `prediction` against `target` (shapes above).
  virtual T forward(ConstMatrixRef<T> prediction, ConstMatrixRef<T> target) = 0;

  /// dloss/dprediction, [batch, outputs], for the last forward(); valid until the next call.
  virtual ConstMatrixView<T> backward() = 0;

  /// For a batch given to forward() in shards (contiguous parts of its rows): the rows of the
  /// whole batch, which a mean divides by, so that each shard's loss is its part of the batch's
  /// sum and its dloss/dprediction rows are bit for bit those of the whole batch. 0 (the
  /// default): the rows of each forward().
  void set_batch_rows(Index rows) { batch_rows_ = rows; }

 protected:
  /// The rows a mean divides by, for a forward() of `rows` rows.
  Index mean_rows(Index rows) const { return batch_rows_ > 0 ? batch_rows_ : rows; }

  /// Throws std::invalid_argument, naming the loss `name`, unless prediction and target have
  /// the same shape and hold at least one value.
  static void require_same_shape(const char* name, ConstMatrixRef<T> prediction,
                                 ConstMatrixRef<T> target) {
    if (prediction.rows() != target.rows() || prediction.cols() != target.cols()) {
      throw std::invalid_argument(
          std::string(name) + ": prediction is " + std::to_string(prediction.rows()) + "x" +
          std::to_string(prediction.cols()) + " but target is " + std::to_string(target.rows()) +
          "x" + std::to_string(target.cols()));
    }
    if (prediction.size() == 0) throw std::invalid_argument(std::string(name) + ": empty batch");
  }

 private:
  Index batch_rows_ = 0;
};

}  // namespace scratchnet
