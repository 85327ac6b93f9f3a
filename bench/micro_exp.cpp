// The float64 exp kernels on arrays (kernels/exp.hpp): exp_array/N and sigmoid_array/N on N
// values spread over [−20, 20], the range activations live in, through whichever path the
// kernels run ("avx512", "avx2", "portable", "neon"; SCRATCHNET_ISA caps it). The path is in the
// benchmark's label; items_per_second is elements, so ns per element = 1e9 / items_per_second.
#include <vector>

#include "micro.hpp"
#include "scratchnet/kernels/exp.hpp"
#include "scratchnet/random.hpp"

namespace scratchnet::bench {
namespace {

template <void (*kernel)(const double*, double*, Index)>
void array_kernel(benchmark::State& state) {
  const auto n = Index(state.range(0));
  Random random(/*seed=*/4);
  std::vector<double> x(std::size_t(n), 0.0), y(std::size_t(n), 0.0);
  for (double& value : x)
    value = random.uniform() * 40 - 20;
  for (auto _ : state) {
    kernel(x.data(), y.data(), n);
    benchmark::DoNotOptimize(y.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(state.iterations() * n);
  state.SetLabel(kernels::exp_kernel());
}

}  // namespace

void register_exp_benchmarks() {
  for (const long n : {4L, 4096L}) {
    benchmark::RegisterBenchmark("exp_array", array_kernel<kernels::exp>)->Arg(n)->UseRealTime();
    benchmark::RegisterBenchmark("sigmoid_array", array_kernel<kernels::sigmoid>)
        ->Arg(n)
        ->UseRealTime();
  }
}

}  // namespace scratchnet::bench
