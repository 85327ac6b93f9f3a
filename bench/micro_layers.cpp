// The rest of a training step through the public API, at the shapes the Fashion-MNIST network
// 784-256-128-10 gives them at batch 256:
//   relu_forward, relu_backward, sigmoid_forward, sigmoid_backward   on [256, 256]
//   softmax_ce/B:256                 SoftmaxCrossEntropy forward + backward on logits [256, 10]
//   sgd_momentum_step, adam_step     one optimizer step over the network's 235,146 parameters,
//                                    with no pool and with a 2-thread pool
//   train_step/B:N/OPTIMIZER/threads:T   one whole step (forward, loss, backward, update) of the
//                                    float network, its GFLOPS counted as docs/performance.md
//                                    counts them: 1,007,104 FLOPs a sample
// items_per_second is elements (activations), parameters (optimizers) or samples (train_step).

#include <memory>
#include <string>
#include <utility>

#include "micro.hpp"
#include "scratchnet/init/initializer.hpp"
#include "scratchnet/kernels/thread_pool.hpp"
#include "scratchnet/layers/relu.hpp"
#include "scratchnet/layers/sigmoid.hpp"
#include "scratchnet/losses/softmax_cross_entropy.hpp"
#include "scratchnet/model/layer_spec.hpp"
#include "scratchnet/optimizers/adam.hpp"
#include "scratchnet/optimizers/sgd.hpp"
#include "scratchnet/random.hpp"
#include "scratchnet/training/anomaly.hpp"

namespace scratchnet::bench {
namespace {

constexpr Index kBatch = 256;
constexpr const char* kNetwork = "256:relu,128:relu,10";
constexpr Index kInputs = 784;
// Forward 2·(784·256 + 256·128 + 128·10), the weight gradients as many, and the input
// gradients of the second and third layers 2·(256·128 + 128·10).
constexpr double kTrainingFlopsPerSample = 2.0 * 234752 * 2 + 2.0 * 34048;

// Class labels 0..9 as SoftmaxCrossEntropy takes them: [rows, 1], one T per row.
Matrix<float> labels(Index rows) {
  Matrix<float> targets(rows, 1);
  for (Index row = 0; row < rows; ++row)
    targets(row, 0) = float(row % 10);
  return targets;
}

template <typename Activation>
void activation_forward(benchmark::State& state) {
  const Matrix<float> input = random_matrix(kBatch, 256, 1);
  Activation layer;
  for (auto _ : state)
    benchmark::DoNotOptimize(layer.forward(view_of(input)).data());
  state.SetItemsProcessed(state.iterations() * input.size());
}

template <typename Activation>
void activation_backward(benchmark::State& state) {
  const Matrix<float> input = random_matrix(kBatch, 256, 1);
  const Matrix<float> doutput = random_matrix(kBatch, 256, 2);
  Activation layer;
  layer.forward(view_of(input));
  for (auto _ : state)
    benchmark::DoNotOptimize(layer.backward(view_of(doutput)).data());
  state.SetItemsProcessed(state.iterations() * input.size());
}

void softmax_cross_entropy(benchmark::State& state) {
  const Matrix<float> logits = random_matrix(kBatch, 10, 3);
  const Matrix<float> targets = labels(kBatch);
  SoftmaxCrossEntropy<float> loss;
  for (auto _ : state) {
    benchmark::DoNotOptimize(loss.forward(logits, targets));
    benchmark::DoNotOptimize(loss.backward().data());
  }
  state.SetItemsProcessed(state.iterations() * logits.size());
}

Sequential<float> fashion_mnist_network() {
  Random random(/*seed=*/0);
  Sequential<float> model = build_model<float>(parse_layer_spec(kNetwork), kInputs);
  initialize(model, Initializer::torch_default, random);
  return model;
}

std::unique_ptr<Optimizer<float>> make_optimizer(const std::string& name) {
  if (name == "sgd") return std::make_unique<Sgd<float>>(SgdOptions{.lr = 0.1, .momentum = 0.9});
  return std::make_unique<Adam<float>>(AdamOptions{.lr = 1e-3});
}

void optimizer_step(benchmark::State& state, std::string name, int threads) {
  Sequential<float> model = fashion_mnist_network();
  const Matrix<float> gradients = random_matrix(model.gradients().size(), 1, 4);
  model.gradients() = gradients.col(0) * 1e-3f;
  std::unique_ptr<kernels::ThreadPool> pool;
  if (threads > 1) pool = std::make_unique<kernels::ThreadPool>(threads);
  const auto optimizer = make_optimizer(name);
  optimizer->use_threads(pool.get());
  for (auto _ : state) {
    optimizer->step(model.parameters(), model.gradients());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * model.parameters().size());
}

// The check every training step makes before its update: one pass over all the gradients.
void gradients_finite(benchmark::State& state, int threads) {
  Sequential<float> model = fashion_mnist_network();
  std::unique_ptr<kernels::ThreadPool> pool;
  if (threads > 1) pool = std::make_unique<kernels::ThreadPool>(threads);
  VectorView<float> gradients = model.gradients();
  gradients.setConstant(0.25f);
  for (auto _ : state)
    benchmark::DoNotOptimize(all_finite(gradients.data(), gradients.size(), pool.get()));
  state.SetItemsProcessed(state.iterations() * gradients.size());
}

void train_step(benchmark::State& state, Index batch, std::string name, int threads) {
  Sequential<float> model = fashion_mnist_network();
  std::unique_ptr<kernels::ThreadPool> pool;
  if (threads > 1) pool = std::make_unique<kernels::ThreadPool>(threads);
  model.use_threads(pool.get());
  const SampleRandom masks(/*seed=*/1);
  model.train(masks);
  Matrix<float> inputs = random_matrix(batch, kInputs, 5);
  inputs = (inputs.array() + 1) / 2;  // pixels in [0, 1]
  const Matrix<float> targets = labels(batch);
  SoftmaxCrossEntropy<float> loss;
  const auto optimizer = make_optimizer(name);
  optimizer->use_threads(pool.get());  // as Trainer does
  for (auto _ : state) {
    model.zero_gradients();
    benchmark::DoNotOptimize(loss.forward(model.forward(inputs), targets));
    model.backward(loss.backward());
    optimizer->step(model.parameters(), model.gradients());
  }
  state.SetItemsProcessed(state.iterations() * batch);
  state.counters["GFLOPS"] = gflops(state, kTrainingFlopsPerSample * double(batch));
}

}  // namespace

void register_layer_benchmarks() {
  benchmark::RegisterBenchmark("relu_forward/B:256/256", activation_forward<ReLU<float>>)
      ->UseRealTime();
  benchmark::RegisterBenchmark("relu_backward/B:256/256", activation_backward<ReLU<float>>)
      ->UseRealTime();
  benchmark::RegisterBenchmark("sigmoid_forward/B:256/256", activation_forward<Sigmoid<float>>)
      ->UseRealTime();
  benchmark::RegisterBenchmark("sigmoid_backward/B:256/256", activation_backward<Sigmoid<float>>)
      ->UseRealTime();
  benchmark::RegisterBenchmark("softmax_ce/B:256/10", softmax_cross_entropy)->UseRealTime();
  const std::pair<const char*, const char*> steps[] = {{"sgd_momentum_step", "sgd"},
                                                       {"adam_step", "adam"}};
  for (const auto& [label, optimizer] : steps) {
    for (int threads : {1, 2}) {
      std::string name = label;
      name.append("/235146/threads:").append(std::to_string(threads));
      benchmark::RegisterBenchmark(name.c_str(), optimizer_step, std::string(optimizer), threads)
          ->UseRealTime();
    }
  }
  for (int threads : {1, 2}) {
    const std::string name = "gradients_finite/235146/threads:" + std::to_string(threads);
    benchmark::RegisterBenchmark(name.c_str(), gradients_finite, threads)->UseRealTime();
  }
  for (Index batch : {64, 256}) {
    for (const char* optimizer : {"sgd", "adam"}) {
      for (int threads : {1, 2}) {
        std::string name = "train_step/B:";
        name.append(std::to_string(batch)).append("/").append(optimizer);
        name.append("/threads:").append(std::to_string(threads));
        benchmark::RegisterBenchmark(name.c_str(), train_step, batch, std::string(optimizer),
                                     threads)
            ->UseRealTime();
      }
    }
  }
}

}  // namespace scratchnet::bench
