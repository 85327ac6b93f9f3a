// The matrix products of one training step of the Fashion-MNIST network 784-256-128-10, at
// batch B = 64 and 256, through scratchnet's kernels (no pool, and a 2-thread ThreadPool) and
// through OpenBLAS's cblas_sgemm with the same transposes (openblas_set_num_threads 1 and 2):
//   forward/IN>OUT   out [B, OUT]   = input [B, IN] · weight [OUT, IN]ᵀ     kernels::matmul_abt
//   dweight/IN>OUT   dW [OUT, IN]  += doutput [B, OUT]ᵀ · input [B, IN]     kernels::matmul_atb_add
//   dinput/IN>OUT    dinput [B, IN] = doutput [B, OUT] · weight [OUT, IN]   kernels::matmul_ab
// (a training step needs dinput only for the layers after the first). Each product is
// 2·B·IN·OUT FLOPs, reported as GFLOPS. Names read
//   forward/784>256/B:64/scratchnet/threads:2
// and the four contenders of one product are registered next to each other.

#include <cblas.h>

#include <array>
#include <memory>
#include <string>

#include "micro.hpp"
#include "scratchnet/kernels/matmul.hpp"
#include "scratchnet/kernels/thread_pool.hpp"
#include "scratchnet/matrix.hpp"

namespace scratchnet::bench {
namespace {

enum class Product { forward, dweight, dinput };

struct Shape {
  Product product;
  Index batch, inputs, outputs;
};

// Operands filled with a fixed pattern in [−1, 1]; the values do not change the speed.
Matrix<float> filled(Index rows, Index cols) {
  Matrix<float> matrix(rows, cols);
  for (Index i = 0; i < matrix.size(); ++i)
    matrix.data()[i] = float((i * 7919) % 2001 - 1000) / 1000.0f;
  return matrix;
}

// The operands of one product: a and b as the kernel takes them, and its output.
struct Operands {
  Matrix<float> a, b, out;
  explicit Operands(const Shape& shape) {
    const Index batch = shape.batch, in = shape.inputs, out_size = shape.outputs;
    switch (shape.product) {
      case Product::forward:  // input [B, IN] · weight [OUT, IN]ᵀ
        a = filled(batch, in);
        b = filled(out_size, in);
        out = filled(batch, out_size);
        break;
      case Product::dweight:  // doutput [B, OUT]ᵀ · input [B, IN]
        a = filled(batch, out_size);
        b = filled(batch, in);
        out = filled(out_size, in);
        break;
      case Product::dinput:  // doutput [B, OUT] · weight [OUT, IN]
        a = filled(batch, out_size);
        b = filled(out_size, in);
        out = filled(batch, in);
        break;
    }
  }
};

double flops(const Shape& shape) {
  return 2.0 * double(shape.batch * shape.inputs * shape.outputs);
}

void scratchnet_product(benchmark::State& state, Shape shape, int threads) {
  Operands operands(shape);
  std::unique_ptr<kernels::ThreadPool> pool;
  if (threads > 1) pool = std::make_unique<kernels::ThreadPool>(threads);
  for (auto _ : state) {
    switch (shape.product) {
      case Product::forward:
        kernels::matmul_abt<float>(operands.a, operands.b, operands.out, pool.get());
        break;
      case Product::dweight:
        kernels::matmul_atb_add<float>(operands.a, operands.b, operands.out, pool.get());
        break;
      case Product::dinput:
        kernels::matmul_ab<float>(operands.a, operands.b, operands.out, pool.get());
        break;
    }
    benchmark::ClobberMemory();
  }
  state.counters["GFLOPS"] = gflops(state, flops(shape));
}

// The same product as one row-major cblas_sgemm: C = alpha·op(A)·op(B) + beta·C.
void openblas_product(benchmark::State& state, Shape shape, int threads) {
  Operands operands(shape);
  openblas_set_num_threads(threads);
  const int m = int(operands.out.rows()), n = int(operands.out.cols());
  const float* a = operands.a.data();
  const float* b = operands.b.data();
  float* c = operands.out.data();
  for (auto _ : state) {
    switch (shape.product) {
      case Product::forward:  // [m, k] · [n, k]ᵀ, k = IN
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, m, n, int(shape.inputs), 1.0f, a,
                    int(shape.inputs), b, int(shape.inputs), 0.0f, c, n);
        break;
      case Product::dweight:  // [k, m]ᵀ · [k, n] added to C, k = B
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, m, n, int(shape.batch), 1.0f, a, m, b,
                    n, 1.0f, c, n);
        break;
      case Product::dinput:  // [m, k] · [k, n], k = OUT
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, int(shape.outputs), 1.0f, a,
                    int(shape.outputs), b, n, 0.0f, c, n);
        break;
    }
    benchmark::ClobberMemory();
  }
  state.counters["GFLOPS"] = gflops(state, flops(shape));
}

const char* product_name(Product product) {
  switch (product) {
    case Product::forward:
      return "forward";
    case Product::dweight:
      return "dweight";
    case Product::dinput:
      return "dinput";
  }
  return "?";
}

}  // namespace

void register_matmul_benchmarks() {
  constexpr std::array<std::array<Index, 2>, 3> layers = {{{784, 256}, {256, 128}, {128, 10}}};
  for (Index batch : {64, 256}) {
    for (Product product : {Product::forward, Product::dweight, Product::dinput}) {
      for (const auto& [inputs, outputs] : layers) {
        const Shape shape{product, batch, inputs, outputs};
        for (int threads : {1, 2}) {
          const auto name = [&](const char* contender) {
            std::string text = product_name(product);
            text.append("/").append(std::to_string(inputs)).append(">");
            text.append(std::to_string(outputs)).append("/B:").append(std::to_string(batch));
            text.append("/").append(contender).append("/threads:").append(std::to_string(threads));
            return text;
          };
          benchmark::RegisterBenchmark(name("scratchnet").c_str(), scratchnet_product, shape,
                                       threads)
              ->UseRealTime();
          benchmark::RegisterBenchmark(name("openblas").c_str(), openblas_product, shape, threads)
              ->UseRealTime();
        }
      }
    }
  }
}

}  // namespace scratchnet::bench
