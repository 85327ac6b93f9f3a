#pragma once
// One forward and backward pass of a network against the same pass recorded by PyTorch in
// float64 (the fixture scripts' "input", "target", "output", "loss_value", "dinput" and
// "gradients"), every number compared within a tolerance.

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "scratchnet/losses/loss.hpp"
#include "scratchnet/model/sequential.hpp"

namespace scratchnet::testing {

/// The scratchnet loss for a torch loss name the fixture scripts write: "MSELoss",
/// "BCEWithLogitsLoss", "CrossEntropyLoss" (reduction='mean'), or "SumSquaredError" (the seed's
/// ((output − target)²).sum()). Throws std::invalid_argument for another name.
template <typename T>
std::unique_ptr<Loss<T>> torch_loss(const std::string& name);

/// Zeroes the gradients, runs `recorded`'s input forward and the loss's gradient backward, and
/// EXPECTs the output, the loss, dloss/dinput and every parameter gradient within `tolerance`
/// of torch's.
void expect_pass_matches_torch(Sequential<double>& model, Loss<double>& loss,
                               const nlohmann::json& recorded, double tolerance);

}  // namespace scratchnet::testing
