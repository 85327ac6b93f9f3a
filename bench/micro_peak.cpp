// peak/<isa>/threads:N — the fp32 FMA peak of N cores, N = 1 and 2: each thread runs the
// independent FMA chains of fma_peak.hpp, and GFLOPS sums the threads' FLOPs over wall time.

#include "fma_peak.hpp"
#include "micro.hpp"

namespace scratchnet::bench {
namespace {

constexpr std::int64_t kRoundsPerIteration = 1 << 14;

void peak(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(fma_rounds(kRoundsPerIteration));
  state.counters["GFLOPS"] = gflops(state, double(kRoundsPerIteration * fma_flops_per_round()));
}

}  // namespace

void register_peak_benchmarks() {
  std::string name = "peak/";
  name.append(fma_isa());
  benchmark::RegisterBenchmark(name.c_str(), peak)->Threads(1)->Threads(2)->UseRealTime();
}

}  // namespace scratchnet::bench
