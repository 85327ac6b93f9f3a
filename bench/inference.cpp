// Inference speed of a Fashion-MNIST network (by default 784-256-128-10 ReLU; --layers SPEC for
// another, such as LeNet-5), built as the command line builds it (a float Sequential from the
// layer spec on samples of Fashion-MNIST's shape [1, 28, 28], which an MLP takes flat as 784
// features; torch's default initialisation), frozen in a Predictor (the library's way to serve
// predictions) and run forward only, on the PyTorch anchor's protocol
// (../shared/anchors/torch_mlp_fmnist.py; bench/torch_lenet_fmnist.py follows it for LeNet-5):
//   batch: the 10000 test images in batches of 1000, 2 warm-up passes, then the median of 7
//          timed passes -> samples/s
//   latency: 200 warm-up single samples, then 2000 single samples (rows 0..1999), each timed
//          alone -> median and 90th percentile in microseconds
// The latency of the plain Sequential::forward() is measured too, for comparison.
// Prints one JSON object. The test images are floats in memory before any timing, as the
// anchor holds them.

#include <CLI/CLI.hpp>
#include <exception>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "measure.hpp"
#include "scratchnet/init/initializer.hpp"
#include "scratchnet/kernels/thread_pool.hpp"
#include "scratchnet/model/layer_spec.hpp"
#include "scratchnet/model/predictor.hpp"

using namespace scratchnet;
using namespace scratchnet::bench;

namespace {
// The shape of a Fashion-MNIST sample, as an IDX file of 28 x 28 images gives it.
const Shape kFashionMnistSample{1, 28, 28};
}  // namespace

int main(int argc, char** argv) {
  CLI::App app("Inference speed of a Fashion-MNIST network, on the PyTorch anchor's protocol",
               "scratchnet_bench_inference");
  int threads = 2, passes = 7, warmup = 200, samples = 2000;
  Index batch = 1000;
  std::string layers = "256:relu,128:relu,10";
  app.add_option(
      "--layers", layers,
      "The network, as scratchnet train's --layers (default: the MLP 256:relu,128:relu,10)");
  app.add_option("--threads", threads, "Threads for the matrix products")
      ->check(CLI::Range(1, 256));
  app.add_option("--batch", batch, "Rows per batch of the throughput passes")
      ->check(CLI::Range(1, 10000));
  app.add_option("--passes", passes, "Timed passes over the test set (after 2 warm-up passes)")
      ->check(CLI::Range(1, 1000));
  app.add_option("--warmup", warmup, "Warm-up single samples before the latency samples")
      ->check(CLI::Range(0, 100000));
  app.add_option("--samples", samples, "Single samples timed for the latency")
      ->check(CLI::Range(1, 100000));
  CLI11_PARSE(app, argc, argv);

  std::vector<SpecEntry> entries;
  try {
    entries = parse_layer_spec(layers);
    // Built once here so that a spec that cannot take 28 x 28 images fails before any timing.
    (void)build_model<float>(entries, model_input_shape(entries, kFashionMnistSample));
  } catch (const std::exception& error) {
    std::cerr << "scratchnet_bench_inference: --layers " << layers << ": " << error.what() << "\n";
    return 2;
  }
  const FloatImages test = fashion_mnist_floats(/*test_set=*/true);
  const Index rows = test.pixels.rows();

  const auto fashion_mnist_network = [&] {
    Random random(/*seed=*/0);
    Sequential<float> model =
        build_model<float>(entries, model_input_shape(entries, kFashionMnistSample));
    initialize(model, Initializer::torch_default, random);
    model.eval();
    return model;
  };
  std::unique_ptr<kernels::ThreadPool> pool;
  if (threads > 1) pool = std::make_unique<kernels::ThreadPool>(threads);

  double checksum = 0;  // each forward pass adds to it: its output is used
  Predictor<float> predictor(fashion_mnist_network());
  predictor.use_threads(pool.get());
  const InferenceFigures figures = anchor_inference_protocol(
      [&](Index first, Index count) {
        checksum += double(predictor.forward(test.pixels.middleRows(first, count))(0, 0));
      },
      rows, batch, passes, warmup, samples);

  Sequential<float> model = fashion_mnist_network();
  model.use_threads(pool.get());
  const InferenceFigures sequential_figures = anchor_inference_protocol(
      [&](Index first, Index count) {
        checksum += double(model.forward(test.pixels.middleRows(first, count))(0, 0));
      },
      rows, batch, /*passes=*/1, warmup, samples);

  nlohmann::json report = {
      {"program", "scratchnet_bench_inference"},
      {"network", format_layer_spec(entries) + " on [1,28,28], float, eval()"},
      {"threads", threads},
      {"batch", batch},
      {"rows", rows},
      {"passes", passes},
      {"batch_samples_per_second", figures.batch_samples_per_second},
      {"batch1_warmup", warmup},
      {"batch1_samples", samples},
      {"batch1_latency_us", figures.batch1_latency_us},
      {"batch1_latency_us_p90", figures.batch1_latency_us_p90},
      {"batch1_latency_us_sequential", sequential_figures.batch1_latency_us},
      {"checksum", checksum},
  };
  std::cout << report.dump() << "\n";
}
