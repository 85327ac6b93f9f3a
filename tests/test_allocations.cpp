// After the largest batch has been seen, training allocates nothing: no layer's forward or
// backward, no optimizer step, learning-rate change or gradient clip, and no whole training step
// (gathering the batch included).
//
// This executable counts allocations two ways, so that the replacement affects no other test:
//  - operator new and delete are replaced below with counting versions (std::vector et al.);
//  - Eigen allocates with malloc, not new, so the test links with -Wl,--wrap=malloc (and calloc,
//    realloc): every malloc call in the statically linked library and in this file comes to
//    __wrap_malloc below, which counts it and forwards to the real malloc (or the sanitizers').
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <numeric>
#include <vector>

#include "gradient_check.hpp"
#include "optimizer_configurations.hpp"
#include "scratchnet/data/dataset.hpp"
#include "scratchnet/init/initializer.hpp"
#include "scratchnet/layers/adaptive_avg_pool2d.hpp"
#include "scratchnet/layers/avg_pool2d.hpp"
#include "scratchnet/layers/batch_norm.hpp"
#include "scratchnet/layers/conv2d.hpp"
#include "scratchnet/layers/dropout.hpp"
#include "scratchnet/layers/gelu.hpp"
#include "scratchnet/layers/leaky_relu.hpp"
#include "scratchnet/layers/max_pool2d.hpp"
#include "scratchnet/layers/relu.hpp"
#include "scratchnet/layers/softmax.hpp"
#include "scratchnet/layers/tanh.hpp"
#include "scratchnet/losses/softmax_cross_entropy.hpp"
#include "scratchnet/model/layer_spec.hpp"
#include "scratchnet/optimizers/adam.hpp"
#include "scratchnet/optimizers/clip_grad_norm.hpp"
#include "scratchnet/optimizers/lr_schedule.hpp"
#include "scratchnet/training/trainer.hpp"
#include "scratchnet/xor.hpp"

namespace {
std::atomic<long> allocations{0};
}  // namespace

extern "C" {
void* __real_malloc(std::size_t size);
void* __real_calloc(std::size_t count, std::size_t size);
void* __real_realloc(void* pointer, std::size_t size);

void* __wrap_malloc(std::size_t size) {
  ++allocations;
  return __real_malloc(size);
}
void* __wrap_calloc(std::size_t count, std::size_t size) {
  ++allocations;
  return __real_calloc(count, size);
}
void* __wrap_realloc(void* pointer, std::size_t size) {
  ++allocations;
  return __real_realloc(pointer, size);
}
}

void* operator new(std::size_t size) {
  ++allocations;
  if (void* pointer = __real_malloc(size == 0 ? 1 : size)) return pointer;
  throw std::bad_alloc();
}
// The operator new above takes its memory from malloc, so free is its match; GCC 12, seeing a
// pointer from operator new reach free once inlined, warns all the same.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* pointer) noexcept {
  std::free(pointer);
}
void operator delete(void* pointer, std::size_t) noexcept {
  std::free(pointer);
}
#pragma GCC diagnostic pop

namespace scratchnet {
namespace {

// The counter sees what it must: a std::vector (operator new) and an Eigen matrix made inside
// the library (malloc, through --wrap).
TEST(AllocationCounter, SeesNewAndTheLibrarysMalloc) {
  long before = allocations;
  std::vector<int> numbers(8);
  EXPECT_GT(allocations - before, 0);
  before = allocations;
  const Matrix<double> inputs = xor_inputs();  // Matrix<double>(4, 2), allocated in src/xor.cpp
  EXPECT_GT(allocations - before, 0);
}

TEST(LayerAllocations, NoneAfterTheFirstBatch) {
  Random random(/*seed=*/39);
  const SampleRandom dropout_random(/*seed=*/40);
  const Matrix<double> input = testing::random_matrix(16, 32, random);
  const Matrix<double> doutput = testing::random_matrix(16, 32, random);
  const Matrix<double> smaller_input = input.topRows(5), smaller_doutput = doutput.topRows(5);
  std::vector<std::unique_ptr<Layer<double>>> layers;
  layers.push_back(std::make_unique<Tanh<double>>());
  layers.push_back(std::make_unique<ReLU<double>>());
  layers.push_back(std::make_unique<LeakyReLU<double>>());
  layers.push_back(std::make_unique<GELU<double>>());
  layers.push_back(std::make_unique<Softmax<double>>());
  layers.push_back(std::make_unique<Dropout<double>>(/*p=*/0.5));
  layers.push_back(std::make_unique<Dropout<double>>(/*p=*/0.5));
  layers.back()->train(dropout_random.stream(0));
  for (auto& layer : layers) {
    layer->forward(view_of(input));  // the first batch sizes the buffers
    layer->backward(view_of(doutput));
    const long before = allocations;
    layer->forward(view_of(input));
    layer->backward(view_of(doutput));
    layer->forward(view_of(smaller_input));  // a last, partial batch reuses the same memory
    layer->backward(view_of(smaller_doutput));
    layer->forward(view_of(input));
    layer->backward(view_of(doutput));
    EXPECT_EQ(allocations - before, 0) << layer->name();
  }
}

// Conv2d keeps its columns, their gradient and the per-chunk sums in buffers that grow to the
// largest batch; a product's packing space is the calling thread's, reused likewise.
TEST(LayerAllocations, Conv2dNoneAfterTheFirstBatch) {
  Random random(/*seed=*/41);
  for (const Index groups : {1, 2}) {
    Sequential<double> model(Shape{4, 9, 7});
    model.emplace<Conv2d<double>>(4, 6, Window{3, 2, 1, 2}, groups);
    const Matrix<double> input = testing::random_matrix(20, model.inputs(), random);
    const Matrix<double> doutput = testing::random_matrix(20, model.outputs(), random);
    const Matrix<double> smaller_input = input.topRows(5), smaller_doutput = doutput.topRows(5);
    Layer<double>& conv = model.layer(0);
    conv.forward(view_of(input));
    conv.backward(view_of(doutput));
    const long before = allocations;
    conv.forward(view_of(input));
    conv.backward(view_of(doutput));
    conv.forward(view_of(smaller_input));
    conv.backward(view_of(smaller_doutput));
    conv.forward(view_of(input));
    conv.backward_parameters(view_of(doutput));
    EXPECT_EQ(allocations - before, 0) << "groups " << groups;
  }
}

// The pools, on a pool of threads, on images [3, 9, 8]: forward and backward allocate nothing
// after the first batch (the shape is given once, as when the layer joins a model).
TEST(LayerAllocations, PoolsNoneAfterTheFirstBatch) {
  Random random(/*seed=*/41);
  const Shape image{3, 9, 8};
  const Matrix<float> input = testing::random_matrix(16, image.elements(), random).cast<float>();
  const Matrix<float> smaller_input = input.topRows(5);
  kernels::ThreadPool pool(2);
  std::vector<std::unique_ptr<Layer<float>>> layers;
  layers.push_back(std::make_unique<MaxPool2d<float>>(Window{2, 2}));
  layers.push_back(std::make_unique<MaxPool2d<float>>(Window{3, 1, 1}));
  layers.push_back(std::make_unique<AvgPool2d<float>>(Window{3, 2, 1}));
  layers.push_back(std::make_unique<AdaptiveAvgPool2d<float>>());
  for (auto& layer : layers) {
    const Index outputs = layer->output_shape(image).elements();
    const Matrix<float> doutput = Matrix<float>::Ones(16, outputs);
    const Matrix<float> smaller_doutput = doutput.topRows(5);
    layer->use_threads(&pool);
    layer->forward(view_of(input));
    layer->backward(view_of(doutput));
    const long before = allocations;
    layer->forward(view_of(smaller_input));
    layer->backward(view_of(smaller_doutput));
    layer->forward(view_of(input));
    layer->backward(view_of(doutput));
    EXPECT_EQ(allocations - before, 0) << layer->name();
  }
}

// BatchNorm writes its parameters' gradients and running statistics, so it runs bound, in a
// model; in both modes, and through both backward passes.
TEST(LayerAllocations, BatchNormNoneAfterTheFirstBatch) {
  Random random(/*seed=*/41);
  const SampleRandom masks(/*seed=*/42);
  Sequential<double> model(Shape{3, 5, 7});
  model.emplace<BatchNorm<double>>(3, 3);
  const Matrix<double> input = testing::random_matrix(16, 105, random);
  const Matrix<double> doutput = testing::random_matrix(16, 105, random);
  const Matrix<double> smaller_input = input.topRows(5), smaller_doutput = doutput.topRows(5);
  for (const bool training : {true, false}) {
    if (training) {
      model.train(masks);
    } else {
      model.eval();
    }
    model.forward(input);  // the first batch sizes the buffers
    model.backward(doutput);
    const long before = allocations;
    model.forward(input);
    model.backward(doutput);
    model.forward(smaller_input);
    model.backward_parameters(smaller_doutput);
    model.forward(input);
    model.backward(doutput);
    EXPECT_EQ(allocations - before, 0) << (training ? "training" : "evaluation");
  }
}

template <typename T>
void check_no_optimizer_allocation_after_first_step() {
  for (const auto& optimizer : testing::every_optimizer_configuration<T>()) {
    SCOPED_TRACE(optimizer->name());
    using Vector = Eigen::Matrix<T, Eigen::Dynamic, 1>;
    Vector parameters = Vector::LinSpaced(37, -2, 2);
    Vector gradients = parameters.array().sin();
    VectorView<T> theta(parameters.data(), parameters.size());
    VectorView<T> dtheta(gradients.data(), gradients.size());
    const LrSchedule schedule = LrSchedule::cosine(/*base_lr=*/0.1, /*total_steps=*/5,
                                                   /*min_lr=*/0.01)
                                    .with_warmup(2);
    optimizer->step(theta, dtheta);  // allocates the state

    const long before = allocations;
    for (std::int64_t t = 0; t < 10; ++t) {
      optimizer->set_learning_rate(schedule.at(t));
      dtheta.array() = T(3) * theta.array().cos();
      clip_grad_norm(dtheta, /*max_norm=*/T(1));
      optimizer->step(theta, dtheta);
    }
    EXPECT_EQ(allocations - before, 0);
    EXPECT_TRUE(parameters.allFinite());
  }
}

TEST(OptimizerAllocations, NoneAfterTheFirstStep) {
  check_no_optimizer_allocation_after_first_step<double>();
  check_no_optimizer_allocation_after_first_step<float>();
}

// A whole training step of the Fashion-MNIST network in float32, with Dropout, Adam, gradient
// clipping and a schedule: gather a batch, forward, loss, backward, clip, step.
TEST(TrainingAllocations, NoneAfterTheFirstBatch) {
  Random random(/*seed=*/1);
  const Index rows = 200, features = 784;
  Matrix<float> images(rows, features), labels(rows, 1);
  for (Index i = 0; i < rows; ++i) {
    for (Index j = 0; j < features; ++j)
      images(i, j) = float(random.uniform());
    labels(i, 0) = float(random.at_most(9));
  }
  const InMemoryDataset<float> data(std::move(images), std::move(labels));
  Sequential<float> model =
      build_model<float>(parse_layer_spec("256:relu,128:relu,dropout:0.2,10"), features);
  initialize(model, Initializer::torch_default, random);
  SoftmaxCrossEntropy<float> loss;
  Adam<float> adam;
  TrainingOptions options;
  options.clip_norm = 1;
  options.schedule =
      LrSchedule::cosine(/*base_lr=*/1e-3, /*total_steps=*/10, /*min_lr=*/0).with_warmup(2);
  Trainer<float> trainer(model, loss, adam, options);
  model.train(trainer.sample_random());
  kernels::ThreadPool pool(2);  // the threads are started here, not during a step
  model.use_threads(&pool);

  BatchBuffer<float> batch_features, batch_targets;
  std::vector<Index> order(rows);
  std::iota(order.begin(), order.end(), Index{0});
  const auto step = [&](Index first, Index count) {
    const auto batch = std::span<const Index>(order).subspan(first, count);
    data.gather(batch, batch_features.reshape(count, features), batch_targets.reshape(count, 1));
    return trainer.train_step(batch_features.view(), batch_targets.view());
  };

  step(0, 64);  // the first batch sizes every buffer and the optimizer's state
  const long before = allocations;
  step(64, 64);
  step(128, 64);
  step(192, 8);  // the epoch's last, partial batch
  step(0, 64);   // and the next epoch's first
  EXPECT_EQ(allocations - before, 0);
  EXPECT_EQ(adam.steps(), 5);
}

}  // namespace
}  // namespace scratchnet
