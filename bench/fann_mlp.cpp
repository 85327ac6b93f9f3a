// FANN 2.2 (Debian's libfann-dev, single precision) on the Fashion-MNIST network 784-256-128-10,
// as far as FANN can express it. It has the layers (fully connected, a bias per neuron) but not
// the rest, so this is the closest network FANN can build, and the suite labels it so:
//   activation  FANN_LINEAR_PIECE with steepness 1, y = min(max(x, 0), 1): FANN 2.2 has no ReLU
//               (this is a ReLU clipped at 1; its cost is the same); the output layer is linear
//   loss        mean squared error on one-hot targets (FANN_ERRORFUNC_LINEAR): no softmax or
//               cross-entropy
//   training    FANN_TRAIN_INCREMENTAL: SGD with momentum, one sample at a time. FANN has no
//               mini-batches (its batch algorithms use the whole data set) and no Adam
//   threads     one; FANN has no threads
//   inference   fann_run, one sample at a time: FANN has no batched forward pass, so its
//               "batch 1000" throughput is 1000 single-sample passes
// Protocol, as near the PyTorch anchor's as FANN allows: training samples/s over
// --train-samples rows after --warmup untimed ones; the anchor's inference protocol
// (2 warm-up passes, median of --passes passes over the test rows; latency median of
// --latency-samples single samples after --warmup). Prints one JSON object.

#include <floatfann.h>

#include <CLI/CLI.hpp>
#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>

#include "measure.hpp"

using namespace scratchnet;
using namespace scratchnet::bench;

int main(int argc, char** argv) {
  CLI::App app("FANN on the Fashion-MNIST MLP, as far as FANN can express it",
               "scratchnet_bench_fann");
  int train_samples = 3000, warmup = 200, passes = 3, inference_samples = 10000;
  int latency_samples = 2000;
  float learning_rate = 0.01f, momentum = 0.9f;
  app.add_option("--train-samples", train_samples, "Timed training samples")
      ->check(CLI::Range(1, 60000));
  app.add_option("--warmup", warmup, "Untimed training samples, and warm-up single passes")
      ->check(CLI::Range(0, 10000));
  app.add_option("--passes", passes, "Timed inference passes over the test rows")
      ->check(CLI::Range(1, 100));
  app.add_option("--inference-samples", inference_samples, "Test rows in each inference pass")
      ->check(CLI::Range(1, 10000));
  app.add_option("--latency-samples", latency_samples, "Single samples timed for the latency")
      ->check(CLI::Range(1, 10000));
  app.add_option("--lr", learning_rate, "FANN's learning rate");
  app.add_option("--momentum", momentum, "FANN's learning momentum");
  CLI11_PARSE(app, argc, argv);

  FloatImages train = fashion_mnist_floats(/*test_set=*/false);
  FloatImages test = fashion_mnist_floats(/*test_set=*/true);
  const Index inputs = train.pixels.cols();

  fann* network = fann_create_standard(4, unsigned(inputs), 256u, 128u, 10u);
  fann_set_activation_function_hidden(network, FANN_LINEAR_PIECE);
  fann_set_activation_steepness_hidden(network, 1.0f);
  fann_set_activation_function_output(network, FANN_LINEAR);
  fann_set_train_error_function(network, FANN_ERRORFUNC_LINEAR);
  fann_set_training_algorithm(network, FANN_TRAIN_INCREMENTAL);
  fann_set_learning_rate(network, learning_rate);
  fann_set_learning_momentum(network, momentum);
  std::srand(0);  // FANN draws its weights with rand()
  fann_randomize_weights(network, -0.05f, 0.05f);

  float target[10];
  const auto train_on = [&](Index row) {
    for (int k = 0; k < 10; ++k)
      target[k] = train.labels[std::size_t(row)] == k ? 1.0f : 0.0f;
    fann_train(network, train.pixels.row(row).data(), target);
  };
  for (int row = 0; row < warmup; ++row)
    train_on(row);
  fann_reset_MSE(network);
  const auto start = Clock::now();
  for (int i = 0; i < train_samples; ++i)
    train_on((warmup + i) % train.pixels.rows());
  const double training_seconds = seconds_since(start);
  const double training_mse = fann_get_MSE(network);

  double checksum = 0;                                  // each pass adds to it: its output is used
  const auto forward = [&](Index first, Index count) {  // FANN runs one row at a time
    for (Index row = first; row < first + count; ++row)
      checksum += double(fann_run(network, test.pixels.row(row % test.pixels.rows()).data())[0]);
  };
  const InferenceFigures figures = anchor_inference_protocol(
      forward, inference_samples, /*batch=*/1000, passes, warmup, latency_samples);
  fann_destroy(network);

  nlohmann::json report = {
      {"program", "scratchnet_bench_fann"},
      {"network", "784-256-128-10, FANN_LINEAR_PIECE hidden (clamp to [0, 1]), linear output"},
      {"loss", "mean squared error on one-hot targets"},
      {"training", "FANN_TRAIN_INCREMENTAL: per-sample SGD with momentum (batch 1)"},
      {"fann_type_bytes", sizeof(fann_type)},
      {"threads", 1},
      {"lr", learning_rate},
      {"momentum", momentum},
      {"train_samples", train_samples},
      {"train_samples_per_second", double(train_samples) / training_seconds},
      {"train_mse", training_mse},
      {"inference_samples", inference_samples},
      {"passes", passes},
      {"batch_samples_per_second", figures.batch_samples_per_second},
      {"batch1_latency_us", figures.batch1_latency_us},
      {"batch1_latency_us_p90", figures.batch1_latency_us_p90},
      {"checksum", checksum},
  };
  std::cout << report.dump() << "\n";
  return std::isfinite(training_mse) ? 0 : 1;
}
