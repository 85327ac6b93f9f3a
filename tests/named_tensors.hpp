#pragma once
// Moving tensors between a model's flat buffers and the name -> nested-list JSON that fixture
// scripts write from a torch state_dict ({"0.weight": [[…], …], "0.bias": […]}), so a test can
// load torch's parameters into a model and compare torch's gradients tensor by tensor.
// Tensors are row-major in both places, so copying is a walk over the nested lists.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "scratchnet/model/sequential.hpp"

namespace scratchnet::testing {

/// The shape of a nested-list JSON tensor ([[1, 2, 3], [4, 5, 6]] -> {2, 3}, [1, 2] -> {2})
/// into `shape`, and its numbers row-major into `values`. Fails, saying where, when the lists
/// are ragged or hold something other than a number.
::testing::AssertionResult flatten_json_tensor(const nlohmann::json& tensor,
                                               std::vector<Index>& shape,
                                               std::vector<double>& values);

/// Copies each tensor of `tensors` (a JSON object, name -> nested lists) into `buffer` at the
/// offset `named` gives that name. Fails, naming the tensor, when a name of `named` is missing
/// from `tensors`, a name in `tensors` is not in `named`, or a shape differs.
::testing::AssertionResult load_named_tensors(const nlohmann::json& tensors,
                                              const std::vector<NamedParameter>& named,
                                              Eigen::Ref<Eigen::VectorXd> buffer);

/// load_named_tensors into model.parameters() at model.named_parameters().
::testing::AssertionResult load_named_parameters(Sequential<double>& model,
                                                 const nlohmann::json& tensors);

/// A whole torch state_dict into `model`: its parameters, its floating buffers (BatchNorm's
/// running statistics) and its int64 counts (num_batches_tracked, a JSON number). Fails, naming
/// the tensor, as load_named_tensors does.
::testing::AssertionResult load_named_state(Sequential<double>& model, const nlohmann::json& state);

/// The model's floating buffers, named and laid out as parameters are, for the loaders above.
std::vector<NamedParameter> floating_buffers(const Sequential<double>& model);

/// The tensor `parameter` of a flat buffer laid out as named_parameters() says, as a matrix:
/// [shape[0], rest] for a tensor of two or more dimensions, [1, n] for a 1-D tensor.
Matrix<double> named_tensor(const Eigen::Ref<const Eigen::VectorXd>& buffer,
                            const NamedParameter& parameter);

}  // namespace scratchnet::testing
