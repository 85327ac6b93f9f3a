// Stage 1's speed: time per iteration of scratchnet::train_xor, the seed notebook's XOR network
// (2 -> 4 sigmoid -> 1 sigmoid, float64, full batch of 4 rows, step 1) as `scratchnet xor` runs
// it. One iteration is what the seed's loop body does: a feed-forward pass and a backprop update.
//
// Each repeat is one train_xor call of --iterations iterations, timed whole: building the
// network and drawing its weights are included, and are negligible at the default 200000
// iterations (the seed's 1500 would let them count). bench/xor_numpy_seed.py times the seed's own
// loop the same way, per iteration. Prints one JSON object with the median over repeats.
//
// train_xor trains on SmallNetwork. For comparison, --loop sequential times the library's
// generic path on the same network (train_xor_sequential). SCRATCHNET_ISA=avx2 or portable caps
// the kernels (the sigmoid's exp) at a narrower instruction set.

#include <CLI/CLI.hpp>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "measure.hpp"
#include "scratchnet/kernels/exp.hpp"
#include "scratchnet/xor.hpp"

using namespace scratchnet;
using namespace scratchnet::bench;

int main(int argc, char** argv) {
  CLI::App app("Time per iteration of scratchnet::train_xor (Stage 1)", "scratchnet_bench_xor");
  XorOptions options;
  options.iterations = 200000;
  int repeats = 7;
  std::string loop = "train_xor";
  app.add_option("--iterations", options.iterations, "Iterations of each timed run")
      ->check(CLI::Range(std::int64_t(1), std::int64_t(1'000'000'000)));
  app.add_option("--repeats", repeats, "Timed runs")->check(CLI::Range(1, 1000));
  app.add_option("--hidden", options.hidden, "Hidden units (4 is the seed's)")
      ->check(CLI::Range(Index(1), Index(1024)));
  app.add_option("--loop", loop, "train_xor (SmallNetwork); sequential: the generic path")
      ->check(CLI::IsMember({"train_xor", "sequential"}));
  CLI11_PARSE(app, argc, argv);

  std::vector<double> ns_per_iteration;
  double loss = 0;
  for (int repeat = 0; repeat < repeats; ++repeat) {
    const auto start = Clock::now();
    const XorRun run = loop == "sequential" ? train_xor_sequential(options) : train_xor(options);
    loss = run.loss;
    ns_per_iteration.push_back(seconds_since(start) * 1e9 / double(options.iterations));
  }

  nlohmann::json report = {
      {"program", "scratchnet_bench_xor"},
      {"iterations", options.iterations},
      {"repeats", repeats},
      {"seed", options.seed},
      {"hidden", options.hidden},
      {"loop", loop},
      {"exp_kernel", kernels::exp_kernel()},
      {"ns_per_iteration", median(ns_per_iteration)},
      {"ns_per_iteration_all", ns_per_iteration},
      {"loss", loss},
  };
  std::cout << report.dump() << "\n";
}
