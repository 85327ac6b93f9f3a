// scratchnet_microbench: Google Benchmark's command line (--benchmark_filter, --benchmark_format,
// --benchmark_repetitions, --benchmark_enable_random_interleaving, …) over the benchmarks that
// micro.hpp lists. bench/suite.py runs it for the FMA peak and the matrix-product table.

#include "micro.hpp"
#include "scratchnet/kernels/matmul.hpp"

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  benchmark::AddCustomContext("scratchnet_matmul_kernel", scratchnet::kernels::matmul_kernel());
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  scratchnet::bench::register_peak_benchmarks();
  scratchnet::bench::register_matmul_benchmarks();
  scratchnet::bench::register_layer_benchmarks();
  scratchnet::bench::register_exp_benchmarks();
  scratchnet::bench::register_pooling_benchmarks();
  scratchnet::bench::register_conv_benchmarks();
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
