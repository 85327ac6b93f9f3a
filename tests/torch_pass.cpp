#include "torch_pass.hpp"

#include <gtest/gtest.h>

#include "fixtures.hpp"
#include "named_tensors.hpp"

namespace scratchnet::testing {

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
