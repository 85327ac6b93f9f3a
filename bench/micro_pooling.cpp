// LeNet-5's max pools through the public API, float32, at batch 64 and 256:
//   max_pool_forward/B:N/CxHxW/threads:T, max_pool_backward/…   MaxPool2d(2) on [6, 28, 28]
//                                    and [16, 10, 10], with no pool and with a 2-thread pool
// items_per_second is input elements. bench/pooling_torch.py times PyTorch on the same shapes.

#include <memory>
#include <string>

#include "micro.hpp"
#include "scratchnet/kernels/thread_pool.hpp"
#include "scratchnet/layers/max_pool2d.hpp"

namespace scratchnet::bench {
namespace {

void max_pool(benchmark::State& state, Index batch, Shape image, int threads, bool backward) {
  std::unique_ptr<kernels::ThreadPool> pool;
  if (threads > 1) pool = std::make_unique<kernels::ThreadPool>(threads);
  MaxPool2d<float> layer(Window{2, 2});
  const Index outputs = layer.output_shape(image).elements();
  layer.use_threads(pool.get());
  const Matrix<float> input = random_matrix(batch, image.elements(), 1);
  const Matrix<float> doutput = random_matrix(batch, outputs, 2);
  layer.forward(view_of(input));
  for (auto _ : state) {
    if (backward) {
      benchmark::DoNotOptimize(layer.backward(view_of(doutput)).data());
    } else {
      benchmark::DoNotOptimize(layer.forward(view_of(input)).data());
    }
  }
  state.SetItemsProcessed(state.iterations() * input.size());
}

}  // namespace

void register_pooling_benchmarks() {
  for (const bool backward : {false, true}) {
    for (const Index batch : {64, 256}) {
      for (const Shape& image : {Shape{6, 28, 28}, Shape{16, 10, 10}}) {
        for (const int threads : {1, 2}) {
          std::string name = backward ? "max_pool_backward/B:" : "max_pool_forward/B:";
          name += std::to_string(batch) + "/" + std::to_string(image[0]) + "x" +
                  std::to_string(image[1]) + "x" + std::to_string(image[2]) +
                  "/threads:" + std::to_string(threads);
          benchmark::RegisterBenchmark(name.c_str(), max_pool, batch, image, threads, backward)
              ->UseRealTime();
        }
      }
    }
  }
}

}  // namespace scratchnet::bench
