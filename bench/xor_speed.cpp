// Stage 1's speed: time per iteration of scratchnet::train_xor, the seed notebook's XOR network
// (2 -> 4 sigmoid -> 1 sigmoid, float64, full batch of 4 rows, step 1) as `scratchnet xor` runs
// it. One iteration is what the seed's loop body does: a feed-forward pass and a backprop update.
//
// Each repeat is one train_xor call of --iterations iterations, timed whole: building the
// network and drawing its weights are included, and are negligible at the default 200000
// iterations (the seed's 1500 would let them count). bench/xor_numpy_seed.py times the seed's own
// loop the same way, per iteration. Prints one JSON object with the median over repeats.
//
// train_xor runs the seed-sized loop (hidden = 4) on the CPU's widest instructions. For
// comparison, --loop sequential times the library's generic path on the same network
// (train_xor_sequential), --loop portable the seed-sized loop in plain C++ (hidden must be 4).

#include <CLI/CLI.hpp>
#include <array>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>

#include "measure.hpp"
#include "scratchnet/xor.hpp"

using namespace scratchnet;
using namespace scratchnet::bench;

namespace {

// What train_xor does for hidden = 4, with the plain C++ loop: the weights drawn as the seed
// draws them, the loop, and the sum of squared errors of the last output.
double train_portable(const XorOptions& options) {
  Random random(options.seed);
  Sequential<double> network = make_xor_network(/*hidden=*/4, random);
  const VectorView<double> drawn = network.parameters();  // weight1 [4, 2], then weight2 [1, 4]
  SeedXorWeights weights;
  for (int u = 0; u < 4; ++u) {
    weights.weights1[0][u] = drawn[2 * u];
    weights.weights1[1][u] = drawn[2 * u + 1];
    weights.weights2[u] = drawn[8 + u];
  }
  const std::array<double, 4> output =
      train_seed_xor(weights, options.iterations, options.learning_rate, SeedXorKernel::portable);
  const double targets[4] = {0, 1, 1, 0};
  double loss = 0;
  for (int r = 0; r < 4; ++r)
    loss += (output[r] - targets[r]) * (output[r] - targets[r]);
  return loss;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Time per iteration of scratchnet::train_xor (Stage 1)", "scratchnet_bench_xor");
  XorOptions options;
  options.iterations = 200000;
  int repeats = 7;
  std::string loop = "train_xor";
  app.add_option("--iterations", options.iterations, "Iterations of each timed run")
      ->check(CLI::Range(std::int64_t(1), std::int64_t(1'000'000'000)));
  app.add_option("--repeats", repeats, "Timed runs")->check(CLI::Range(1, 1000));
  app.add_option("--hidden", options.hidden, "Hidden units (4 is the seed's; not for portable)")
      ->check(CLI::Range(Index(1), Index(1024)));
  app.add_option("--loop", loop,
                 "train_xor; sequential: the generic path; portable: the seed-sized loop in C++")
      ->check(CLI::IsMember({"train_xor", "sequential", "portable"}));
  CLI11_PARSE(app, argc, argv);
  if (loop == "portable" && options.hidden != 4) {
    std::cerr << "scratchnet_bench_xor: --loop portable runs the seed's size, --hidden 4\n";
    return 2;
  }

  std::vector<double> ns_per_iteration;
  double loss = 0;
  for (int repeat = 0; repeat < repeats; ++repeat) {
    const auto start = Clock::now();
    if (loop == "portable") {
      loss = train_portable(options);
    } else {
      const XorRun run = loop == "sequential" ? train_xor_sequential(options) : train_xor(options);
      loss = run.loss;
    }
    ns_per_iteration.push_back(seconds_since(start) * 1e9 / double(options.iterations));
  }

  nlohmann::json report = {
      {"program", "scratchnet_bench_xor"},
      {"iterations", options.iterations},
      {"repeats", repeats},
      {"seed", options.seed},
      {"hidden", options.hidden},
      {"loop", loop},
      {"ns_per_iteration", median(ns_per_iteration)},
      {"ns_per_iteration_all", ns_per_iteration},
      {"loss", loss},
  };
  std::cout << report.dump() << "\n";
}
