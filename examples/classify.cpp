// A classifier through scratchnet's C++ API: a data set, a model from a spec string, Adam, the
// training loop with a validation split, and the trained model frozen to answer one sample at a
// time. The task: which of three numbers is the largest.
#include <cstdio>

#include "scratchnet/scratchnet.hpp"

using namespace scratchnet;

int main() {
  Random random(/*seed=*/0);  // one generator for data, weights, split and shuffles
  Matrix<float> features(1000, 3), labels(1000, 1);
  for (Index row = 0; row < features.rows(); ++row) {
    for (float& value : features.row(row))
      value = float(random.normal());
    Index largest = 0;
    features.row(row).maxCoeff(&largest);
    labels(row, 0) = float(largest);
  }
  const InMemoryDataset<float> data(features, labels);
  auto [training, validation] = split_validation(data, /*fraction=*/0.2, random);

  Sequential<float> model = build_model<float>(parse_layer_spec("16:relu,3"), /*inputs=*/3);
  initialize(model, Initializer::torch_default, random);
  SoftmaxCrossEntropy<float> loss;
  Adam<float> adam(AdamOptions{.lr = 0.01});
  Trainer<float> trainer(model, loss, adam, {.batch_size = 32, .epochs = 10});

  for (const EpochMetrics& epoch : trainer.fit(training, &validation, random).epochs) {
    std::printf("epoch %2d  loss %.4f  accuracy %.3f  val_loss %.4f  val_accuracy %.3f\n",
                epoch.epoch, epoch.loss, epoch.accuracy, epoch.val_loss, epoch.val_accuracy);
  }

  Predictor<float> predictor(std::move(model));  // frozen: nothing changes its weights now
  Matrix<float> sample(1, 3);
  sample << 0.3f, 2.0f, -1.0f;
  Index predicted = 0;
  predictor.forward(sample).row(0).maxCoeff(&predicted);
  std::printf("largest of (0.3, 2.0, -1.0): number %d\n", int(predicted) + 1);
}
