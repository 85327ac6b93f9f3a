// scratchnet used from another project (the README's "Use it from your CMake project"): a
// classifier built layer by layer, trained on three seeded clusters of points, saved, loaded
// back, and checked to predict exactly as before. It includes only the umbrella header, as a
// user would. CMakeLists.txt beside this file finds an installed scratchnet or builds its source
// tree; run.sh builds and runs it those two ways and with pkg-config.
//   consumer [MODEL_PATH]   (default consumer-model.safetensors)
#include <cstdio>
#include <cstring>
#include <exception>
#include <string>

#include <scratchnet/scratchnet.hpp>

using namespace scratchnet;

// Points in the plane around three centres, one class per centre, in turn.
struct Clusters {
  Matrix<float> features;  // [rows, 2]
  Matrix<float> labels;    // [rows, 1]: the class index
};

Clusters three_clusters(Index rows, Random& random) {
  const float centres[3][2] = {{0.0f, 2.0f}, {-1.7f, -1.0f}, {1.7f, -1.0f}};
  Clusters clusters{Matrix<float>(rows, 2), Matrix<float>(rows, 1)};
  for (Index row = 0; row < rows; ++row) {
    const int label = int(row % 3);
    clusters.features(row, 0) = centres[label][0] + 0.5f * float(random.normal());
    clusters.features(row, 1) = centres[label][1] + 0.5f * float(random.normal());
    clusters.labels(row, 0) = float(label);
  }
  return clusters;
}

bool same_bits(const Matrix<float>& a, const Matrix<float>& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() &&
         std::memcmp(a.data(), b.data(), sizeof(float) * std::size_t(a.size())) == 0;
}

int run(const std::string& model_path) {
  Random random(/*seed=*/7);
  const Clusters clusters = three_clusters(/*rows=*/600, random);
  const InMemoryDataset<float> data(clusters.features, clusters.labels);

  Sequential<float> model(/*inputs=*/2);
  model.emplace<Dense<float>>(2, 16);
  model.emplace<ReLU<float>>();
  model.emplace<Dense<float>>(16, 3);
  initialize(model, Initializer::torch_default, random);
  SoftmaxCrossEntropy<float> loss;
  Adam<float> adam(AdamOptions{.lr = 0.01});
  Trainer<float> trainer(model, loss, adam, {.batch_size = 32, .epochs = 5});
  const TrainingResult result = trainer.fit(data, /*validation=*/nullptr, random);
  const double accuracy = result.epochs.back().accuracy;
  std::printf("trained %s: loss %.4f, accuracy %.3f\n",
              format_layer_spec(model_spec(model)).c_str(), result.epochs.back().loss, accuracy);
  if (!(accuracy > 0.9)) {
    std::fprintf(stderr, "consumer: training reached only accuracy %.3f (expected > 0.9)\n",
                 accuracy);
    return 1;
  }

  io::ModelDescription description;  // the model writes its own layer spec
  description.loss = "ce";
  io::save_model(model_path, model, description);
  io::LoadedModel<float> loaded = io::load_model<float>(model_path);

  model.eval();
  loaded.network.eval();
  const Matrix<float> before = model.forward(clusters.features);
  const Matrix<float> after = loaded.network.forward(clusters.features);
  if (!same_bits(before, after)) {
    std::fprintf(stderr, "consumer: %s: the reloaded model predicts otherwise than the saved one\n",
                 model_path.c_str());
    return 1;
  }
  std::printf("saved to %s and loaded back: the same %lld×%lld outputs, bit for bit\n",
              model_path.c_str(), (long long)after.rows(), (long long)after.cols());
  return 0;
}

int main(int argc, char** argv) {
  if (argc > 2) {
    std::fprintf(stderr, "usage: %s [MODEL_PATH]\n", argv[0]);
    return 2;
  }
  try {
    return run(argc == 2 ? argv[1] : "consumer-model.safetensors");
  } catch (const std::exception& error) {
    std::fprintf(stderr, "consumer: error: %s\n", error.what());
    return 1;
  }
}
