// peak/<isa>/threads:N — the fp32 FMA peak of N cores, N = 1 and 2: each thread runs the
// independent FMA chains of fma_peak.hpp, and GFLOPS sums the threads' FLOPs over wall time.
// clock — the core's clock in GHz, from a chain of dependent additions (one cycle each), and
// with it FMAS_PER_CYCLE, the vector FMAs the peak implies a core starts per cycle: the number of
// FMA units when the peak is right (2 on the x86 cores of docs/performance.md).

#include "fma_peak.hpp"
#include "micro.hpp"

namespace scratchnet::bench {
namespace {

constexpr std::int64_t kRoundsPerIteration = 1 << 14;
constexpr std::int64_t kAddsPerIteration = 1 << 20;

void peak(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(fma_rounds(kRoundsPerIteration));
  state.counters["GFLOPS"] = gflops(state, double(kRoundsPerIteration * fma_flops_per_round()));
}

void clock(benchmark::State& state) {
  for (auto _ : state)
    benchmark::DoNotOptimize(dependent_adds(kAddsPerIteration));
  state.counters["GHz"] = benchmark::Counter(double(state.iterations()) * kAddsPerIteration * 1e-9,
                                             benchmark::Counter::kIsRate);
}

}  // namespace

void register_peak_benchmarks() {
  std::string name = "peak/";
  name.append(fma_isa());
  benchmark::RegisterBenchmark(name.c_str(), peak)->Threads(1)->Threads(2)->UseRealTime();
  benchmark::RegisterBenchmark("clock", clock)->UseRealTime();
  benchmark::AddCustomContext("fma_lanes", std::to_string(fma_lanes()));
}

}  // namespace scratchnet::bench
