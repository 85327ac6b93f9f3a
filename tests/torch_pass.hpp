#pragma once
// One forward and backward pass of a network against the same pass recorded by PyTorch in
// float64 (the fixture scripts' "input", "target", "output", "loss_value", "dinput" and
// "gradients"), every number compared within a tolerance.

#include <nlohmann/json.hpp>

#include "scratchnet/losses/loss.hpp"
#include "scratchnet/model/sequential.hpp"

namespace scratchnet::testing {

/// Zeroes the gradients, runs `recorded`'s input forward and the loss's gradient backward, and
/// EXPECTs the output, the loss, dloss/dinput and every parameter gradient within `tolerance`
/// of torch's.
void expect_pass_matches_torch(Sequential<double>& model, Loss<double>& loss,
                               const nlohmann::json& recorded, double tolerance);

}  // namespace scratchnet::testing
