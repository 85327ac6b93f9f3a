#include "scratchnet/training/trainer.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "scratchnet/optimizers/clip_grad_norm.hpp"
#include "scratchnet/training/anomaly.hpp"

namespace scratchnet {
namespace {

using Clock = std::chrono::steady_clock;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double ratio_or_nan(std::int64_t numerator, std::int64_t denominator) {
  return denominator == 0 ? kNaN : double(numerator) / double(denominator);
}

}  // namespace

double Evaluation::accuracy() const {
  return confusion ? confusion->accuracy() : kNaN;
}

template <typename T>
Trainer<T>::Trainer(Sequential<T>& model, Loss<T>& loss, Optimizer<T>& optimizer,
                    TrainingOptions options)
    : model_(model),
      loss_(loss),
      optimizer_(optimizer),
      options_(std::move(options)),
      masks_(options_.dropout_seed) {
  if (options_.batch_size < 1) throw std::invalid_argument("batch size must be at least 1");
  if (options_.epochs < 1) throw std::invalid_argument("epochs must be at least 1");
  if (options_.first_epoch < 1) throw std::invalid_argument("the first epoch is 1 or later");
  if (options_.patience < 0) throw std::invalid_argument("patience must not be negative");
  if (!(options_.clip_norm >= 0)) throw std::invalid_argument("clip norm must be >= 0");
  if (options_.shard_rows < 0) throw std::invalid_argument("shard rows must not be negative");
  if (options_.schedule) options_.schedule->validate();
  if (options_.resume_from && (options_.resume_from->epoch != options_.first_epoch ||
                               options_.resume_from->batches_done < 1)) {
    throw std::invalid_argument("resume_from must be inside first_epoch, after its first batch");
  }
}

template <typename T>
T Trainer<T>::forward_backward(ConstMatrixRef<T> features, ConstMatrixRef<T> targets,
                               Index first_row) {
  masks_.set_position(optimizer_.steps(), first_row);
  model_.zero_gradients();
  if (options_.detect_anomaly) {
    const CheckedStep<T> step = checked_forward_backward(model_, loss_, features, targets);
    rebind(output_, step.output);
    return step.loss;
  }
  rebind(output_, model_.forward(features));
  const T value = loss_.forward(output_, targets);
  model_.backward_parameters(loss_.backward());
  const VectorView<T> gradients = model_.gradients();
  if (!std::isfinite(value) ||
      !all_finite(gradients.data(), gradients.size(), model_.thread_pool())) {
    // Again, checking each layer as it goes, to say where it began. The weights are as they
    // were, and Dropout draws the same masks (they depend on the step and the rows only).
    model_.zero_gradients();
    checked_forward_backward(model_, loss_, features, targets);
    throw NonFiniteError({std::isfinite(value) ? "gradient" : "loss", {}, "", 0, 0});
  }
  return value;
}

template <typename T>
T Trainer<T>::sharded_forward_backward(ConstMatrixRef<T> features, ConstMatrixRef<T> targets) {
  const Index rows = features.rows();
  VectorView<T> gradients = model_.gradients();
  batch_gradients_.resize(std::size_t(gradients.size()));
  VectorView<T> sum(batch_gradients_.data(), gradients.size());
  auto output = sharded_output_.reshape(rows, model_.outputs());
  // Each shard's loss is its part of the batch's mean: the batch's rows are the divisor. Only
  // for these shards: evaluation uses the same loss.
  loss_.set_batch_rows(rows);
  T value = 0;
  try {
    for (Index first = 0; first < rows; first += options_.shard_rows) {
      const Index count = std::min(options_.shard_rows, rows - first);
      value += forward_backward(features.middleRows(first, count), targets.middleRows(first, count),
                                first);
      output.middleRows(first, count) = output_;
      if (first == 0) {
        sum = gradients;
      } else {
        sum += gradients;
      }
    }
  } catch (...) {
    loss_.set_batch_rows(0);
    throw;
  }
  loss_.set_batch_rows(0);
  gradients = sum;
  rebind(output_, sharded_output_.const_view());
  return value;
}

template <typename T>
T Trainer<T>::train_step(ConstMatrixRef<T> features, ConstMatrixRef<T> targets) {
  const bool sharded = options_.shard_rows > 0 && features.rows() > options_.shard_rows;
  const T value = sharded ? sharded_forward_backward(features, targets)
                          : forward_backward(features, targets, /*first_row=*/0);
  const VectorView<T> gradients = model_.gradients();
  if (gradient_hook_) {
    gradient_hook_(gradients);
    if (!all_finite(gradients.data(), gradients.size(), model_.thread_pool())) {
      throw NonFiniteError({"gradient", {}, "", 0, 0});
    }
  }
  if (options_.clip_norm > 0) clip_grad_norm(gradients, T(options_.clip_norm));
  if (options_.schedule) optimizer_.set_learning_rate(options_.schedule->at(optimizer_.steps()));
  optimizer_.use_threads(model_.thread_pool());
  optimizer_.step(model_.parameters(), gradients);
  return value;
}

namespace {

// Copies a batch in slices of fixed size, spread over the pool: a copy, so the bits are the same
// on any thread count.
template <typename T>
void gather_batch(const Dataset<T>& data, std::span<const Index> rows, MatrixView<T> features,
                  MatrixView<T> targets, kernels::ThreadPool* pool) {
  constexpr Index kSlice = 32;
  kernels::run_slices(pool, Index(rows.size()), kSlice, [&](Index first, Index size) {
    data.gather(rows.subspan(std::size_t(first), std::size_t(size)),
                MatrixView<T>(features.data() + first * features.cols(), size, features.cols()),
                MatrixView<T>(targets.data() + first * targets.cols(), size, targets.cols()));
  });
}

}  // namespace

template <typename T>
void Trainer<T>::order_rows(Index rows, Random& random) {
  order_.resize(static_cast<std::size_t>(rows));
  std::iota(order_.begin(), order_.end(), Index{0});
  if (options_.shuffle) random.shuffle(std::span(order_));  // np.random.permutation(rows)
}

template <typename T>
void Trainer<T>::restore_best_epoch() {
  VectorView<T> parameters = model_.parameters(), buffers = model_.buffers();
  std::copy_n(best_weights_.begin(), parameters.size(), parameters.data());
  if (Index(best_weights_.size()) == parameters.size() + buffers.size())
    std::copy(best_weights_.begin() + parameters.size(), best_weights_.end(), buffers.data());
}

template <typename T>
void Trainer<T>::resume_early_stopping(const BestEpoch& best, std::vector<T> best_weights) {
  const Index parameters = model_.parameters().size(), buffers = model_.buffers().size();
  const Index given = Index(best_weights.size());
  if (given != 0 && given != parameters + buffers && given != parameters) {
    throw std::invalid_argument("best weights: " + std::to_string(given) +
                                " values for a model of " + std::to_string(parameters) +
                                " parameters and " + std::to_string(buffers) + " buffer values");
  }
  best_ = best;
  best_weights_ = std::move(best_weights);
}

template <typename T>
TrainingResult Trainer<T>::fit(const Dataset<T>& training, const Dataset<T>* validation,
                               Random& random, const TrainingCallbacks& callbacks) {
  if (training.size() == 0) throw std::invalid_argument("no training rows");
  const bool validating = validation != nullptr && validation->size() > 0;
  const Index rows = training.size();
  const Index batches = (rows + options_.batch_size - 1) / options_.batch_size;
  const Task task = loss_.task();

  TrainingResult result;
  const bool fresh_run = options_.first_epoch == 1 && !options_.resume_from;
  if (fresh_run) resume_early_stopping({}, {});
  result.best_epoch = best_.epoch;

  for (int epoch = options_.first_epoch; epoch <= options_.epochs; ++epoch) {
    auto epoch_start = Clock::now();
    const std::optional<EpochProgress>& resumed = options_.resume_from;
    const bool resuming = resumed && epoch == resumed->epoch;
    if (resuming) random.restore(resumed->start_random_state);
    // Kept only when someone may ask to stop: the text of a generator's state is a few KB.
    const std::string start_random_state = callbacks.stop_requested ? random.state() : "";
    model_.train(masks_);
    order_rows(rows, random);
    double weighted_loss = 0;
    std::int64_t correct = 0, predictions = 0;
    double absolute_error = 0;
    Index first_batch = 0;
    if (resuming) {
      if (resumed->batches_done >= batches) {
        throw std::invalid_argument("cannot go on after batch " +
                                    std::to_string(resumed->batches_done) + " of an epoch of " +
                                    std::to_string(batches) + " batches");
      }
      random.restore(resumed->random_state);
      first_batch = resumed->batches_done;
      weighted_loss = resumed->weighted_loss;
      correct = resumed->correct;
      predictions = resumed->predictions;
      absolute_error = resumed->absolute_error;
      epoch_start -= std::chrono::duration_cast<Clock::duration>(
          std::chrono::duration<double>(resumed->seconds));
    }
    for (Index batch = first_batch; batch < batches; ++batch) {
      const Index first = batch * options_.batch_size;
      const Index count = std::min(options_.batch_size, rows - first);
      const auto batch_rows = std::span<const Index>(order_).subspan(first, count);
      gather_batch(training, batch_rows, features_.reshape(count, training.features()),
                   targets_.reshape(count, training.target_width()), model_.thread_pool());
      try {
        weighted_loss += double(train_step(features_.view(), targets_.view())) * double(count);
      } catch (NonFiniteError& error) {
        NonFiniteValue where = error.value();
        where.epoch = epoch;
        where.batch = batch + 1;
        throw NonFiniteError(where);
      }
      // The outputs of this step's forward pass, before its update, as torch loops count them.
      const auto [batch_correct, batch_predictions] =
          count_correct<T>(output_, targets_.view(), task);
      correct += batch_correct;
      predictions += batch_predictions;
      if (task == Task::regression)
        absolute_error += double((output_ - targets_.view()).cwiseAbs().sum());
      if (callbacks.on_batch) {
        const double elapsed = seconds_since(epoch_start);
        const Index seen = first + count;
        callbacks.on_batch({epoch, batch + 1, batches, weighted_loss / double(seen),
                            ratio_or_nan(correct, predictions), double(seen) / elapsed, elapsed});
      }
      if (batch + 1 < batches && callbacks.stop_requested && callbacks.stop_requested()) {
        result.interrupted = EpochProgress{
            epoch,   batch + 1,   start_random_state,         random.state(), weighted_loss,
            correct, predictions, seconds_since(epoch_start), absolute_error};
        result.stopped_by_request = true;
        model_.eval();
        return result;
      }
    }
    const double training_seconds = seconds_since(epoch_start);
    // Finite gradients can still step a weight past the largest float; then no checkpoint or
    // model may be written from these weights.
    const VectorView<T> parameters = model_.parameters();
    if (!all_finite(parameters.data(), parameters.size(), model_.thread_pool())) {
      throw NonFiniteError({"weights", {}, "", epoch, batches});
    }

    EpochMetrics metrics;
    metrics.epoch = epoch;
    metrics.loss = weighted_loss / double(rows);
    metrics.accuracy = ratio_or_nan(correct, predictions);
    if (task == Task::regression)
      metrics.mae = absolute_error / (double(rows) * double(training.target_width()));
    metrics.samples_per_second = double(rows) / training_seconds;
    metrics.learning_rate = optimizer_.learning_rate();
    metrics.val_loss = metrics.val_accuracy = kNaN;
    if (validating) {
      const Evaluation evaluation = evaluate(*validation);
      metrics.val_loss = evaluation.loss;
      metrics.val_accuracy = evaluation.accuracy();
      if (evaluation.regression) {
        metrics.val_mae = evaluation.regression->mae();
        metrics.val_r2 = evaluation.regression->r2();
      }
      if (evaluation.loss < best_.val_loss) {
        best_ = {epoch, evaluation.loss, 0};
        result.best_epoch = epoch;
        if (options_.patience > 0 && options_.restore_best) {
          best_weights_.assign(model_.parameters().begin(), model_.parameters().end());
          best_weights_.insert(best_weights_.end(), model_.buffers().begin(),
                               model_.buffers().end());
        }
      } else {
        ++best_.epochs_since;
      }
    }
    metrics.seconds = seconds_since(epoch_start);
    result.epochs.push_back(metrics);

    if (callbacks.on_epoch && !callbacks.on_epoch(metrics)) break;
    if (callbacks.stop_requested && epoch < options_.epochs && callbacks.stop_requested()) {
      result.stopped_by_request = true;
      break;
    }
    if (validating && options_.patience > 0 && best_.epochs_since >= options_.patience) {
      result.stopped_early = true;
      if (options_.restore_best && !best_weights_.empty()) restore_best_epoch();
      break;
    }
  }
  model_.eval();
  return result;
}

template <typename T>
Evaluation evaluate(Sequential<T>& model, Loss<T>& loss, const Dataset<T>& data, Index batch_size) {
  if (batch_size < 1) throw std::invalid_argument("batch size must be at least 1");
  model.eval();
  Evaluation evaluation;
  const Task task = loss.task();
  if (task == Task::multiclass) evaluation.confusion.emplace(model.outputs());
  if (task == Task::binary) evaluation.confusion.emplace(2);
  if (task == Task::regression) evaluation.regression.emplace(model.outputs());

  BatchBuffer<T> features, targets;
  std::vector<Index> rows;
  double weighted_loss = 0;
  for (Index first = 0; first < data.size(); first += batch_size) {
    const Index count = std::min(batch_size, data.size() - first);
    rows.resize(static_cast<std::size_t>(count));
    std::iota(rows.begin(), rows.end(), first);
    gather_batch(data, std::span<const Index>(rows), features.reshape(count, data.features()),
                 targets.reshape(count, data.target_width()), model.thread_pool());
    const auto output = model.forward(features.view());
    for (Index row = 0; row < count; ++row) {
      if (output.row(row).allFinite()) continue;
      if (!evaluation.first_non_finite_row) evaluation.first_non_finite_row = first + row;
      ++evaluation.non_finite_rows;
    }
    weighted_loss += double(loss.forward(output, targets.view())) * double(count);
    if (evaluation.confusion) evaluation.confusion->add_batch<T>(output, targets.view(), task);
    if (evaluation.regression) evaluation.regression->add_batch<T>(output, targets.view());
  }
  evaluation.loss = data.size() == 0 ? kNaN : weighted_loss / double(data.size());
  return evaluation;
}

template Evaluation evaluate<float>(Sequential<float>&, Loss<float>&, const Dataset<float>&, Index);
template Evaluation evaluate<double>(Sequential<double>&, Loss<double>&, const Dataset<double>&,
                                     Index);
template class Trainer<float>;
template class Trainer<double>;

}  // namespace scratchnet
