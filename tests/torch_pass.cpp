#include "torch_pass.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "fixtures.hpp"
#include "named_tensors.hpp"
#include "scratchnet/training/factories.hpp"

namespace scratchnet::testing {

// The fixture scripts write torch.nn's class names; the library's factory takes the command
// line's.
template <typename T>
std::unique_ptr<Loss<T>> torch_loss(const std::string& name) {
  if (name == "MSELoss") return training::make_loss<T>("mse");
  if (name == "BCEWithLogitsLoss") return training::make_loss<T>("bce");
  if (name == "CrossEntropyLoss") return training::make_loss<T>("ce");
  if (name == "SumSquaredError") return training::make_loss<T>("sse");
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
