#pragma once
// A trained model, frozen for predictions. It takes the model over (nothing else can change its
// weights any more) and runs it in evaluation mode:
//   forward: [batch, inputs] -> [batch, outputs], as Sequential::forward() in eval()
//
// One sample at a time is the case it is for (serving requests, a user's single image). There,
// what costs is not arithmetic but reading every weight from the cache, so each Dense layer
// keeps a second copy of its weights laid out input-major (kernels/input_major_weights.hpp):
// read as one stream, skipping the weights of zero inputs. Batches of two or more run the
// model's own forward pass, which is faster there.
//
// The single-sample outputs are the same sums in another order, so they can differ from
// Sequential::forward() in the last bits (as torch's batch-1 and batch-N results can).

#include <optional>
#include <vector>

#include "scratchnet/kernels/input_major_weights.hpp"
#include "scratchnet/model/sequential.hpp"

namespace scratchnet {

template <typename T>
class Predictor {
 public:
  /// Freezes `model`, which it keeps, in evaluation mode.
  explicit Predictor(Sequential<T> model);

  /// Runs the products on `pool` (nullptr: the calling thread only), which must outlive its
  /// use; the results are bit for bit the same either way.
  void use_threads(kernels::ThreadPool* pool);

  /// [batch, inputs] -> [batch, outputs]; the result lives until the next forward().
  /// Throws std::invalid_argument for the wrong number of features.
  ConstMatrixView<T> forward(ConstMatrixRef<T> input);

  /// The frozen model, to read (its parameters, its layers' names).
  const Sequential<T>& model() const { return model_; }

 private:
  Sequential<T> model_;
  kernels::ThreadPool* pool_ = nullptr;
  // Per layer: the input-major copy of a Dense layer's weights, and its one-sample output.
  std::vector<std::optional<kernels::InputMajorWeights<T>>> input_major_;
  std::vector<Matrix<T>> single_outputs_;
};

}  // namespace scratchnet
