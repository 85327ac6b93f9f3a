#include "torch_pass.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "fixtures.hpp"
#include "named_tensors.hpp"
#include "scratchnet/losses/binary_cross_entropy_with_logits.hpp"
#include "scratchnet/losses/mean_squared_error.hpp"
#include "scratchnet/losses/softmax_cross_entropy.hpp"
#include "scratchnet/losses/sum_squared_error.hpp"

namespace scratchnet::testing {

template <typename T>
std::unique_ptr<Loss<T>> torch_loss(const std::string& name) {
  if (name == "MSELoss") return std::make_unique<MeanSquaredError<T>>();
  if (name == "BCEWithLogitsLoss") return std::make_unique<BinaryCrossEntropyWithLogits<T>>();
  if (name == "CrossEntropyLoss") return std::make_unique<SoftmaxCrossEntropy<T>>();
  if (name == "SumSquaredError") return std::make_unique<SumSquaredError<T>>();
  throw std::invalid_argument("no scratchnet loss for " + name);
}

template std::unique_ptr<Loss<float>> torch_loss<float>(const std::string&);
template std::unique_ptr<Loss<double>> torch_loss<double>(const std::string&);

void expect_pass_matches_torch(Sequential<double>& model, Loss<double>& loss,
                               const nlohmann::json& recorded, double tolerance) {
  const Matrix<double> input = matrix_from_json(recorded.at("input"));
  const Matrix<double> target = matrix_from_json(recorded.at("target"));
  model.zero_gradients();
  const Matrix<double> output = model.forward(input);
  EXPECT_TRUE(matrices_near(output, matrix_from_json(recorded.at("output")), tolerance))
      << "output";
  EXPECT_NEAR(loss.forward(output, target), recorded.at("loss_value").get<double>(), tolerance)
      << "loss";
  const Matrix<double> dinput = model.backward(loss.backward());
  EXPECT_TRUE(matrices_near(dinput, matrix_from_json(recorded.at("dinput")), tolerance))
      << "dinput";

  const std::vector<NamedParameter> named = model.named_parameters();
  Eigen::VectorXd torch_gradients = Eigen::VectorXd::Zero(model.gradients().size());
  ASSERT_TRUE(load_named_tensors(recorded.at("gradients"), named, torch_gradients));
  for (const NamedParameter& parameter : named) {
    EXPECT_TRUE(matrices_near(named_tensor(model.gradients(), parameter),
                              named_tensor(torch_gradients, parameter), tolerance))
        << "gradient of " << parameter.name;
  }
}

}  // namespace scratchnet::testing
