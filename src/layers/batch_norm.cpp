#include "scratchnet/layers/batch_norm.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace scratchnet {
namespace {

constexpr double kEps = 1e-5;
constexpr double kMomentum = 0.1;
// Below this many values a batch stays on the calling thread: waking another costs more. The
// bits are the same either way (the parts are cut by the sizes alone).
constexpr Index kValuesPerThread = 16 * 1024;
// Partial sums per channel: enough for the compiler to keep them in vector registers.
constexpr Index kLanes = 8;
// Channels per part for flat samples ([F], one value per channel per sample), whose channels are
// a row's neighbouring values and are best summed side by side; other samples have one channel
// per part.
constexpr Index kFeaturesPerPart = 64;

// Σ term(run, i) over i in [0, length) of each of `runs` runs, in one fixed order: value i of a
// run goes to lane (i mod kLanes) (kept in blocks of kLanes so the loop vectorises), the runs
// in turn, then the lanes added pairwise.
template <typename T, typename Term>
T channel_sum(Index runs, Index length, const Term& term) {
  T lanes[kLanes] = {};
  const Index whole = length - length % kLanes;
  for (Index run = 0; run < runs; ++run) {
    for (Index i = 0; i < whole; i += kLanes) {
      for (Index lane = 0; lane < kLanes; ++lane)
        lanes[lane] += term(run, i + lane);
    }
    for (Index i = whole; i < length; ++i)
      lanes[i - whole] += term(run, i);
  }
  return ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) +
         ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]));
}

// Σ term(at, j) over the rows of a row-major batch of `width` columns, for the columns
// [first, first + count): flat samples, one channel a column. `at` is the value's flat index, j
// its column's place in the block; each column is summed in row order, row by row so that the
// loop over the block's columns vectorises.
template <typename T, typename Term>
void column_sums(Index rows, Index width, Index first, Index count, T* sums, const Term& term) {
  std::fill_n(sums, count, T(0));
  for (Index row = 0; row < rows; ++row) {
    const Index start = row * width + first;
    for (Index j = 0; j < count; ++j)
      sums[j] += term(start + j, j);
  }
}

// Runs block(first, count) over [0, channels) cut into blocks of `size` channels: one part each.
template <typename Block>
void for_each_block(kernels::ThreadPool* pool, Index channels, Index size, Index values,
                    const Block& block) {
  kernels::run_slices(values >= kValuesPerThread ? pool : nullptr, channels, size, block);
}

const char* kind_of(std::size_t sample_rank) {
  return sample_rank == 3 ? "BatchNorm2d" : "BatchNorm1d";
}

// A batch of one sample of one value per channel: its shape is [1, C, 1, …].
[[noreturn]] void refuse_single_value(Index features, std::size_t sample_rank) {
  std::string message =
      "BatchNorm: expected more than 1 value per channel when training, got input of shape [1, ";
  message += std::to_string(features);
  for (std::size_t axis = 1; axis < sample_rank; ++axis)
    message += ", 1";
  message += "]";
  throw std::invalid_argument(message);
}

}  // namespace

template <typename T>
BatchNorm<T>::BatchNorm(Index features, std::size_t sample_rank)
    : features_(features), sample_rank_(sample_rank) {
  if (features < 1) {
    throw std::invalid_argument("BatchNorm needs at least 1 feature, got " +
                                std::to_string(features));
  }
  if (sample_rank < 1 || sample_rank > 3) {
    throw std::invalid_argument(
        "BatchNorm takes samples of rank 1 or 2 (BatchNorm1d) or 3 (BatchNorm2d), got rank " +
        std::to_string(sample_rank));
  }
  mean_.resize(std::size_t(features));
  inverse_deviation_.resize(std::size_t(features));
}

template <typename T>
LayerDescription BatchNorm<T>::describe() const {
  return {kind_of(sample_rank_),
          {{"num_features", std::int64_t{features_}},
           {"eps", kEps},
           {"momentum", kMomentum},
           {"affine", true},
           {"track_running_stats", true}}};
}

template <typename T>
Shape BatchNorm<T>::output_shape(const Shape& input) const {
  const std::string kind = kind_of(sample_rank_);
  if (input.rank() != sample_rank_) {
    const char* expected = sample_rank_ == 1   ? "[features]"
                           : sample_rank_ == 2 ? "[channels, length]"
                                               : "[channels, height, width]";
    throw std::invalid_argument(kind + " built for samples " + expected + " got samples of shape " +
                                input.text());
  }
  if (input[0] != features_) {
    throw std::invalid_argument(kind + " expects " + std::to_string(features_) +
                                " channels, got samples of shape " + input.text());
  }
  return input;
}

template <typename T>
std::vector<ParameterShape> BatchNorm<T>::parameter_shapes() const {
  return {{"weight", {features_}, 1.0}, {"bias", {features_}, 0.0}};
}

template <typename T>
void BatchNorm<T>::bind_parameters(T* values, T* gradients) {
  values_ = values;
  gradients_ = gradients;
}

template <typename T>
std::vector<BufferShape> BatchNorm<T>::buffer_shapes() const {
  return {{"running_mean", {features_}, BufferType::floating, 0.0},
          {"running_var", {features_}, BufferType::floating, 1.0},
          {"num_batches_tracked", {}, BufferType::int64, 0.0}};
}

template <typename T>
void BatchNorm<T>::bind_buffers(T* values, std::int64_t* integers) {
  running_ = values;
  batches_tracked_ = integers;
}

// y = γ (x − μ)/√(σ² + eps) + β per channel, μ and σ² the batch's (training) or the running ones
template <typename T>
ConstMatrixView<T> BatchNorm<T>::forward(ConstMatrixView<T> input) {
  const Index batch = input.rows(), width = input.cols(), length = width / features_;
  if (length * features_ != width) {
    throw std::invalid_argument("BatchNorm expects rows of a multiple of " +
                                std::to_string(features_) + " values, got " +
                                std::to_string(width));
  }
  const Index count = batch * length;  // n, the values of one channel
  if (training_ && count <= 1) refuse_single_value(features_, sample_rank_);
  rebind(input_, input);
  batch_statistics_ = training_;
  MatrixView<T> output = output_.reshape(batch, width);
  const T* const x = input.data();
  T* const y = output.data();
  T* const running_mean = running_;
  T* const running_var = running_ + features_;
  // Keeps μ and 1/√(σ² + eps) of channel c for backward: the batch's (Σ (x − μ)² = squares),
  // which also update the running statistics, or the running ones.
  const auto keep = [&](Index c, T mean, T squares) {
    T inverse_deviation;
    if (batch_statistics_) {
      inverse_deviation = T(1) / std::sqrt(squares / T(count) + T(kEps));
      running_mean[c] = T(1 - kMomentum) * running_mean[c] + T(kMomentum) * mean;
      running_var[c] = T(1 - kMomentum) * running_var[c] + T(kMomentum) * (squares / T(count - 1));
    } else {
      mean = running_mean[c];
      inverse_deviation = T(1) / std::sqrt(running_var[c] + T(kEps));
    }
    mean_[std::size_t(c)] = mean;
    inverse_deviation_[std::size_t(c)] = inverse_deviation;
  };
  const bool flat = length == 1;
  // Channels [first, first + channels): one, or for flat samples up to kFeaturesPerPart.
  const auto part = [&](Index first, Index channels) {
    T means[kFeaturesPerPart] = {}, squares[kFeaturesPerPart] = {};
    T scale[kFeaturesPerPart], shift[kFeaturesPerPart];
    if (batch_statistics_ && flat) {
      column_sums(batch, width, first, channels, means, [&](Index at, Index) { return x[at]; });
      for (Index j = 0; j < channels; ++j)
        means[j] /= T(count);
      column_sums(batch, width, first, channels, squares, [&](Index at, Index j) {
        const T centred = x[at] - means[j];
        return centred * centred;
      });
    } else if (batch_statistics_) {
      const auto value = [&](Index run, Index i) { return x[run * width + first * length + i]; };
      means[0] = channel_sum<T>(batch, length, value) / T(count);
      squares[0] = channel_sum<T>(batch, length, [&](Index run, Index i) {
        const T centred = value(run, i) - means[0];
        return centred * centred;
      });
    }
    for (Index j = 0; j < channels; ++j) {
      const Index c = first + j;
      keep(c, means[j], squares[j]);
      scale[j] = values_[c] * inverse_deviation_[std::size_t(c)];
      shift[j] = values_[features_ + c] - mean_[std::size_t(c)] * scale[j];
    }
    for (Index run = 0; run < batch; ++run) {
      const Index start = run * width + first * length;
      if (flat) {
        for (Index j = 0; j < channels; ++j)
          y[start + j] = x[start + j] * scale[j] + shift[j];
      } else {
        for (Index i = 0; i < length; ++i)
          y[start + i] = x[start + i] * scale[0] + shift[0];
      }
    }
  };
  for_each_block(pool_, features_, flat ? kFeaturesPerPart : 1, batch * width, part);
  if (batch_statistics_) ++*batches_tracked_;
  return output_.const_view();
}

// training: dx = γ/√(σ²+eps)·(dy − mean(dy) − x̂·mean(dy·x̂)); evaluation: dx = dy·γ/√(rv+eps);
// dγ += Σ dy·x̂, dβ += Σ dy
template <typename T>
ConstMatrixView<T> BatchNorm<T>::backward(ConstMatrixView<T> doutput) {
  MatrixView<T> dinput = dinput_.reshape(doutput.rows(), doutput.cols());
  backward_into(doutput, &dinput);
  return dinput_.const_view();
}

// dγ += Σ dy·x̂, dβ += Σ dy
template <typename T>
void BatchNorm<T>::backward_parameters(ConstMatrixView<T> doutput) {
  backward_into(doutput, nullptr);
}

template <typename T>
void BatchNorm<T>::backward_into(ConstMatrixView<T> doutput, MatrixView<T>* dinput) {
  const Index batch = doutput.rows(), width = doutput.cols(), length = width / features_;
  const T count = T(batch * length);
  const T* const x = input_.data();
  const T* const dy = doutput.data();
  T* const dx = dinput == nullptr ? nullptr : dinput->data();
  const bool flat = length == 1;
  // Channels [first, first + channels): one, or for flat samples up to kFeaturesPerPart.
  const auto part = [&](Index first, Index channels) {
    const T* const mean = mean_.data() + first;
    T sum_dy[kFeaturesPerPart], sum_dy_centred[kFeaturesPerPart];
    if (flat) {
      column_sums(batch, width, first, channels, sum_dy, [&](Index at, Index) { return dy[at]; });
      column_sums(batch, width, first, channels, sum_dy_centred,
                  [&](Index at, Index j) { return dy[at] * (x[at] - mean[j]); });
    } else {
      const Index start = first * length;
      sum_dy[0] = channel_sum<T>(batch, length,
                                 [&](Index run, Index i) { return dy[start + run * width + i]; });
      sum_dy_centred[0] = channel_sum<T>(batch, length, [&](Index run, Index i) {
        const Index at = start + run * width + i;
        return dy[at] * (x[at] - mean[0]);
      });
    }
    // dx = scale·(dy − mean_dy − (x − μ)·centred_scale). With the batch's statistics, μ and σ²
    // depend on x too, and the two means are their share; the running ones are constants (0).
    T scale[kFeaturesPerPart], mean_dy[kFeaturesPerPart], centred_scale[kFeaturesPerPart];
    for (Index j = 0; j < channels; ++j) {
      const Index c = first + j;
      const T inverse_deviation = inverse_deviation_[std::size_t(c)];
      gradients_[c] += sum_dy_centred[j] * inverse_deviation;
      gradients_[features_ + c] += sum_dy[j];
      scale[j] = values_[c] * inverse_deviation;
      mean_dy[j] = batch_statistics_ ? sum_dy[j] / count : T(0);
      centred_scale[j] = batch_statistics_
                             ? sum_dy_centred[j] * inverse_deviation * inverse_deviation / count
                             : T(0);
    }
    if (dx == nullptr) return;
    for (Index run = 0; run < batch; ++run) {
      const Index start = run * width + first * length;
      if (flat) {
        for (Index j = 0; j < channels; ++j) {
          const Index at = start + j;
          dx[at] = scale[j] * (dy[at] - mean_dy[j] - (x[at] - mean[j]) * centred_scale[j]);
        }
      } else {
        for (Index i = 0; i < length; ++i) {
          const Index at = start + i;
          dx[at] = scale[0] * (dy[at] - mean_dy[0] - (x[at] - mean[0]) * centred_scale[0]);
        }
      }
    }
  };
  for_each_block(pool_, features_, flat ? kFeaturesPerPart : 1, batch * width, part);
}

template class BatchNorm<float>;
template class BatchNorm<double>;

}  // namespace scratchnet
