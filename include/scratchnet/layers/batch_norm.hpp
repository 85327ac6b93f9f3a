#pragma once
// Batch normalisation, torch.nn.BatchNorm1d and BatchNorm2d (eps 1e-5, momentum 0.1, affine,
// tracking running statistics), one class for both: a sample [C], [C, L] or [C, H, W] has C
// channels of S = 1, L or H·W values, and each channel c is normalised over its n = batch·S
// values:
//   training:   μ_c = mean, σ²_c = biased variance of the batch's values of channel c
//               y = γ_c (x − μ_c)/√(σ²_c + eps) + β_c
//               running_mean ← 0.9·running_mean + 0.1·μ,  running_var ← 0.9·running_var +
//               0.1·σ²·n/(n − 1) (unbiased),  num_batches_tracked += 1
//   evaluation: y = γ_c (x − running_mean_c)/√(running_var_c + eps) + β_c
// The running statistics change in forward() alone, and only in training mode.
// Every sum over a channel runs in T in a fixed order (eight lanes over each run of S values,
// the runs in batch order, the lanes added pairwise; for flat samples, S = 1, in batch order),
// within one part on a thread pool (a channel, or for flat samples 64 neighbouring ones, summed
// side by side): the bits do not depend on the number of threads.

#include <vector>

#include "scratchnet/layers/layer.hpp"

namespace scratchnet {

/// torch.nn.BatchNorm1d / BatchNorm2d with torch's defaults.
template <typename T>
class BatchNorm final : public Layer<T> {
 public:
  /// Normalises each of `features` channels: BatchNorm1d for samples [F] or [C, L]
  /// (`sample_rank` 1 or 2), BatchNorm2d for [C, H, W] (`sample_rank` 3). Throws
  /// std::invalid_argument for features < 1 or another rank.
  BatchNorm(Index features, std::size_t sample_rank);

  /// BatchNorm1d or BatchNorm2d(num_features, eps=1e-5, momentum=0.1, affine=True,
  /// track_running_stats=True)
  LayerDescription describe() const override;
  /// The same shape; throws std::invalid_argument for a shape of another rank than the one
  /// given to the constructor, or with another number of channels (dims[0]).
  Shape output_shape(const Shape& input) const override;
  /// "weight" [C] starting at 1, "bias" [C] starting at 0.
  std::vector<ParameterShape> parameter_shapes() const override;
  void bind_parameters(T* values, T* gradients) override;
  /// "running_mean" [C] starting at 0, "running_var" [C] starting at 1, and the 0-dim int64
  /// "num_batches_tracked" starting at 0.
  std::vector<BufferShape> buffer_shapes() const override;
  void bind_buffers(T* values, std::int64_t* integers) override;
  /// Training mode: forward() normalises with the batch's statistics and updates the running
  /// ones.
  void train(SampleStream /*random*/) override { training_ = true; }
  /// Evaluation mode: forward() normalises with the running statistics.
  void eval() override { training_ = false; }
  void use_threads(kernels::ThreadPool* pool) override { pool_ = pool; }

  /// [batch, C·S] -> [batch, C·S]; in training mode throws std::invalid_argument when a channel
  /// has a single value (n = 1), as torch does.
  ConstMatrixView<T> forward(ConstMatrixView<T> input) override;
  /// [batch, C·S] -> [batch, C·S], through the statistics the last forward() used.
  ConstMatrixView<T> backward(ConstMatrixView<T> doutput) override;
  void backward_parameters(ConstMatrixView<T> doutput) override;

  /// Whether forward() uses the batch's statistics (training mode).
  bool training() const { return training_; }
  Index features() const { return features_; }

 private:
  // Sums Σ dy and Σ dy·(x − μ) of each channel into the parameter gradients, and, when
  // `dinput` is not null, writes dloss/dinput there.
  void backward_into(ConstMatrixView<T> doutput, MatrixView<T>* dinput);

  Index features_;
  std::size_t sample_rank_;
  bool training_ = false;
  T* values_ = nullptr;     // weight [C], then bias [C]
  T* gradients_ = nullptr;  // laid out alike
  T* running_ = nullptr;    // running_mean [C], then running_var [C]
  std::int64_t* batches_tracked_ = nullptr;
  kernels::ThreadPool* pool_ = nullptr;
  // What the last forward() normalised with, per channel, and whether they were the batch's.
  std::vector<T> mean_;
  std::vector<T> inverse_deviation_;  // 1/√(σ² + eps)
  bool batch_statistics_ = false;
  ConstMatrixView<T> input_{nullptr, 0, 0};
  BatchBuffer<T> output_;
  BatchBuffer<T> dinput_;
};

}  // namespace scratchnet
