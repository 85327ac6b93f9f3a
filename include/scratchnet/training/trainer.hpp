#pragma once
// The training loop: mini-batches in a seeded shuffled order (the last partial batch kept),
// one optimizer step per batch (gradient clipping and a learning-rate schedule optional),
// evaluation on validation data after each epoch, early stopping on the validation loss, and
// hooks after every batch and epoch for progress, logs and checkpoints.
// Per step: zero_gradients → forward → loss → backward → gradient hook → clip → set lr →
// optimizer step. After the largest batch has been seen once, a step allocates nothing.
//
// Two seams for data-parallel training. The shuffle order comes from the Random that fit() is
// given, which every participant seeds alike; Dropout's masks come from a SampleRandom of their
// own (options.dropout_seed), addressed by step and row, so a participant that holds rows 32..63
// of a batch draws for them what one process would. With options.shard_rows, a batch is cut into
// contiguous shards of that many rows, each shard's gradient computed on its own and the shards'
// gradients added in shard order: the fixed order that a distributed run can reproduce whoever
// computes which shard. The gradient hook (set_gradient_hook) sees the batch's gradient before
// the optimizer does: where an all-reduce goes.
// A NaN or an infinity stops training at once with a NonFiniteError (anomaly.hpp) that names
// the epoch, the batch and the first layer where it appeared, before the optimizer step that
// would have spread it into the weights.

#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "scratchnet/batch_buffer.hpp"
#include "scratchnet/data/dataset.hpp"
#include "scratchnet/losses/loss.hpp"
#include "scratchnet/model/sequential.hpp"
#include "scratchnet/optimizers/lr_schedule.hpp"
#include "scratchnet/optimizers/optimizer.hpp"
#include "scratchnet/random.hpp"
#include "scratchnet/sample_random.hpp"
#include "scratchnet/training/metrics.hpp"

namespace scratchnet {

/// Where training stood inside an epoch when it was interrupted: enough to go on from there
/// and end with the same bits as a run never interrupted.
struct EpochProgress {
  int epoch = 0;                   // the epoch under way, counted from 1
  Index batches_done = 0;          // its batches already trained
  std::string start_random_state;  // Random::state() when the epoch began, before its shuffle
  std::string random_state;        // ... and after batches_done batches
  double weighted_loss = 0;        // Σ batch loss × rows, over the epoch's batches so far
  std::int64_t correct = 0;        // right predictions so far (classification)
  std::int64_t predictions = 0;
  double seconds = 0;         // training time so far, for the epoch's samples/s
  double absolute_error = 0;  // Σ |output − target| so far (regression), for the epoch's MAE
  bool operator==(const EpochProgress&) const = default;
};

/// Early stopping's memory: the epoch with the lowest validation loss so far, that loss, and
/// the epochs since. A resumed run carries it over (Trainer::resume_early_stopping) so that it
/// stops, and restores, where a run never interrupted would.
struct BestEpoch {
  int epoch = 0;  // counted from 1; 0 while no epoch has been validated
  double val_loss = std::numeric_limits<double>::infinity();
  int epochs_since = 0;
  bool operator==(const BestEpoch&) const = default;
};

struct TrainingOptions {
  Index batch_size = 64;
  int epochs = 10;           // the total, counting epochs already done (first_epoch − 1)
  int first_epoch = 1;       // > 1 when continuing a run
  bool shuffle = true;       // a fresh seeded order every epoch, or the data's own order
  int patience = 0;          // stop after this many epochs without a better validation loss;
                             // 0 never stops early
  bool restore_best = true;  // when stopping early, end with the best epoch's weights and
                             // running statistics
  double clip_norm = 0;      // clip the gradients' global L2 norm to this; 0 does not clip
  std::optional<LrSchedule> schedule = std::nullopt;  // every step's rate; none: the optimizer's
  std::uint64_t dropout_seed = 0;  // seeds the SampleRandom that Dropout's masks come from
  Index shard_rows = 0;            // > 0: a batch's gradient is the ordered sum over shards of
                                   // this many rows (see the top of this file); 0: one piece
  bool detect_anomaly = false;     // check every layer's output and gradient in every step (slow)
  /// Go on from inside epoch resume_from->epoch (which must be first_epoch) rather than from its
  /// start. fit() restores `random` from the progress's states itself.
  std::optional<EpochProgress> resume_from = std::nullopt;
};

/// What one epoch did. Accuracy is NaN for regression, MAE and R² for classification; the
/// validation values are NaN without validation data.
struct EpochMetrics {
  int epoch = 0;  // counted from 1
  double loss = 0;
  double accuracy = 0;
  double val_loss = 0;
  double val_accuracy = 0;
  double seconds = 0;             // the whole epoch, validation included
  double samples_per_second = 0;  // training rows over training time
  double learning_rate = 0;       // of the epoch's last step
  /// Regression (after the others, so that older code that lists the fields in order still
  /// compiles): the training rows' R² and MAE, each row's output taken in the step that
  /// trained on it, as the loss is (the Trainer measures the MAE; a TrainingRun derives R² from an
  /// mse epoch's loss; NaN where not measured), and the validation rows'.
  double r2 = std::numeric_limits<double>::quiet_NaN();
  double mae = std::numeric_limits<double>::quiet_NaN();
  double val_mae = std::numeric_limits<double>::quiet_NaN();
  double val_r2 = std::numeric_limits<double>::quiet_NaN();
};

/// Progress within an epoch, after each batch: means over the epoch's batches so far.
struct BatchProgress {
  int epoch = 0;
  Index batch = 0;    // counted from 1
  Index batches = 0;  // in this epoch
  double loss = 0;
  double accuracy = 0;
  double samples_per_second = 0;
  double seconds = 0;  // since the epoch began
};

struct TrainingCallbacks {
  std::function<void(const BatchProgress&)> on_batch;
  /// After each epoch, with the model's weights as they are then; return false to stop.
  std::function<bool(const EpochMetrics&)> on_epoch;
  /// Asked after each batch (from the training thread, so it may read a flag a signal handler
  /// set); true stops training there, with TrainingResult::interrupted saying where.
  std::function<bool()> stop_requested;
};

struct TrainingResult {
  std::vector<EpochMetrics> epochs;
  /// Set when stop_requested stopped training inside an epoch: where to go on from. (A stop
  /// after an epoch's last batch ends the epoch first, with its on_epoch, and leaves it unset.)
  std::optional<EpochProgress> interrupted;
  bool stopped_by_request = false;
  bool stopped_early = false;  // by patience (not by a callback)
  int best_epoch = 0;          // lowest validation loss; 0 without validation data
};

/// Loss and metrics of a model over a data set.
struct Evaluation {
  double loss = 0;  // the loss's own reduction, averaged over batches weighted by their rows
  std::optional<ConfusionMatrix> confusion;  // classification tasks
  std::optional<RegressionMetrics> regression;
  /// Rows whose outputs are not all finite (NaN or infinite): while there are any, the loss and
  /// metrics above mean nothing (a NaN row's argmax is class 0), and a caller must not report
  /// them as results.
  Index non_finite_rows = 0;
  /// The first such row (0-based), if any.
  std::optional<Index> first_non_finite_row;
  /// The confusion matrix's accuracy, or NaN for regression.
  double accuracy() const;
};

/// Loss and metrics of `model` over `data`, in evaluation mode, in batches of `batch_size` rows.
template <typename T>
Evaluation evaluate(Sequential<T>& model, Loss<T>& loss, const Dataset<T>& data, Index batch_size);

template <typename T>
class Trainer {
 public:
  /// A loop over `model`, `loss` and `optimizer`, which must outlive it. Throws
  /// std::invalid_argument for a batch size or epoch count below 1, or a negative patience or
  /// clip norm.
  Trainer(Sequential<T>& model, Loss<T>& loss, Optimizer<T>& optimizer, TrainingOptions options);
  // In training mode the model's layers hold streams of this Trainer's sample_random(), so a
  // Trainer stays where it was made.
  Trainer(const Trainer&) = delete;
  Trainer& operator=(const Trainer&) = delete;

  /// Trains on `training` from options.first_epoch to options.epochs, evaluating on `validation`
  /// (nullptr or empty: none) after each epoch. `random` shuffles; Dropout draws from
  /// sample_random().
  TrainingResult fit(const Dataset<T>& training, const Dataset<T>* validation, Random& random,
                     const TrainingCallbacks& callbacks = {});

  /// One optimizer step on one batch (features [n, inputs], targets [n, width]); returns the
  /// batch's loss. The model must be in the mode wanted: eval(), or train(sample_random()) for
  /// Dropout's masks of each step. Throws NonFiniteError, with the weights untouched, when the
  /// loss or a gradient is not finite.
  T train_step(ConstMatrixRef<T> features, ConstMatrixRef<T> targets);

  /// Called in every step with the batch's gradient (the model's flat gradient buffer), after
  /// backward and before clipping and the optimizer step; it may change the values (an
  /// all-reduce replaces them with the sum over participants), which must stay finite.
  void set_gradient_hook(std::function<void(VectorView<T>)> hook) {
    gradient_hook_ = std::move(hook);
  }

  /// The numbers Dropout draws in training mode; train_step sets its position every step.
  const SampleRandom& sample_random() const { return masks_; }

  /// Early stopping's memory after the last epoch fit() finished, and the state of its best
  /// epoch (kept only with patience and restore_best; otherwise empty): its parameters, then its
  /// floating buffers (BatchNorm's running statistics), back to back. What a checkpoint saves.
  const BestEpoch& best_epoch() const { return best_; }
  const std::vector<T>& best_weights() const { return best_weights_; }

  /// Sets early stopping's memory for a run that goes on from a checkpoint (options.first_epoch
  /// > 1); fit() starts from it. A run from epoch 1 starts with none. `best_weights` is empty,
  /// or the parameters then the floating buffers, or (from a checkpoint written before the
  /// buffers were kept) the parameters alone, and then stopping restores only those; throws
  /// std::invalid_argument for any other length.
  void resume_early_stopping(const BestEpoch& best, std::vector<T> best_weights);

  /// Loss and metrics over `data`, in evaluation mode, in batches of options.batch_size.
  Evaluation evaluate(const Dataset<T>& data) {
    return scratchnet::evaluate(model_, loss_, data, options_.batch_size);
  }

 private:
  /// Training rows in the order of one epoch.
  void order_rows(Index rows, Random& random);

  /// Puts best_weights() back into the model: the parameters, and the buffers when it has them.
  void restore_best_epoch();

  /// Forward and backward over rows [first_row, first_row + n) of this step's batch (features
  /// and targets are those rows): their gradient, in the zeroed gradients(), and their loss.
  T forward_backward(ConstMatrixRef<T> features, ConstMatrixRef<T> targets, Index first_row);

  /// The batch's gradient as the sum, in shard order, of its shards' gradients; and its loss.
  T sharded_forward_backward(ConstMatrixRef<T> features, ConstMatrixRef<T> targets);

  Sequential<T>& model_;
  Loss<T>& loss_;
  Optimizer<T>& optimizer_;
  TrainingOptions options_;
  std::vector<Index> order_;  // this epoch's training rows
  BatchBuffer<T> features_;
  BatchBuffer<T> targets_;
  ConstMatrixView<T> output_{nullptr, 0, 0};  // the model's output in the last train_step
  SampleRandom masks_;
  std::function<void(VectorView<T>)> gradient_hook_;
  BatchBuffer<T> sharded_output_;   // the shards' outputs, gathered: the batch's output
  std::vector<T> batch_gradients_;  // the shards' gradients, summed in order
  BestEpoch best_;
  std::vector<T> best_weights_;
};

}  // namespace scratchnet
