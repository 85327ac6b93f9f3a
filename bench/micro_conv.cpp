// LeNet-5's two convolutions, forward and backward, in float through Conv2d, the shapes
// bench/torch_conv_speed.py times for PyTorch:
//   conv1  Conv2d(1, 6, 5, padding=2) on [B, 1, 28, 28]   backward: parameter gradients only
//          (the first layer's input needs no gradient: backward_parameters, as in training)
//   conv2  Conv2d(6, 16, 5)           on [B, 6, 14, 14]   backward: input and parameter gradients
// at batch B = 64 and 256, on no pool and a 2-thread ThreadPool. Names read
//   conv/conv2/B:64/backward/threads:2
// GFLOPS counts 2 FLOPs per multiply-add of the convolution's definition (forward: one product;
// backward: one for the weight gradient, one more for the input gradient).

#include <memory>
#include <string>

#include "micro.hpp"
#include "scratchnet/kernels/thread_pool.hpp"
#include "scratchnet/layers/conv2d.hpp"

namespace scratchnet::bench {
namespace {

struct ConvShape {
  const char* name;
  Index in, out, kernel, padding, size;
  bool needs_dinput;
};

void conv_benchmark(benchmark::State& state, ConvShape shape, Index batch, bool backward,
                    int threads) {
  Conv2d<float> conv(shape.in, shape.out, Window{shape.kernel, 1, shape.padding});
  const Shape output_shape = conv.output_shape(Shape{shape.in, shape.size, shape.size});
  Index parameters = 0;
  for (const auto& tensor : conv.parameter_shapes())
    parameters += tensor.size();
  Matrix<float> values = random_matrix(1, parameters, /*seed=*/1);
  Matrix<float> gradients = Matrix<float>::Zero(1, parameters);
  conv.bind_parameters(values.data(), gradients.data());
  std::unique_ptr<kernels::ThreadPool> pool;
  if (threads > 1) pool = std::make_unique<kernels::ThreadPool>(threads);
  conv.use_threads(pool.get());
  const Matrix<float> input = random_matrix(batch, shape.in * shape.size * shape.size, 2);
  const Matrix<float> doutput = random_matrix(batch, output_shape.elements(), 3);
  conv.forward(view_of(input));
  for (auto _ : state) {
    if (!backward) {
      benchmark::DoNotOptimize(conv.forward(view_of(input)).data());
    } else if (shape.needs_dinput) {
      benchmark::DoNotOptimize(conv.backward(view_of(doutput)).data());
    } else {
      conv.backward_parameters(view_of(doutput));
    }
    benchmark::ClobberMemory();
  }
  const double product =
      2.0 * double(batch * output_shape.elements() * shape.in * shape.kernel * shape.kernel);
  const double products = !backward ? 1 : shape.needs_dinput ? 2 : 1;
  state.counters["GFLOPS"] = gflops(state, product * products);
}

}  // namespace

void register_conv_benchmarks() {
  const ConvShape shapes[] = {{"conv1", 1, 6, 5, 2, 28, false}, {"conv2", 6, 16, 5, 0, 14, true}};
  for (const ConvShape& shape : shapes) {
    for (Index batch : {64, 256}) {
      for (bool backward : {false, true}) {
        for (int threads : {1, 2}) {
          const std::string name =
              std::string("conv/") + shape.name + "/B:" + std::to_string(batch) +
              (backward ? "/backward" : "/forward") + "/threads:" + std::to_string(threads);
          benchmark::RegisterBenchmark(name.c_str(), conv_benchmark, shape, batch, backward,
                                       threads)
              ->UseRealTime();
        }
      }
    }
  }
}

}  // namespace scratchnet::bench
