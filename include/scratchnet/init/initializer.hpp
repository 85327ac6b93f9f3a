#pragma once
// How a model's parameters start. Each scheme fills every layer's weight, then its bias, layer
// by layer, drawing from one explicitly passed generator: the same seed gives the same model.
// For a weight of shape [out, in, …], fan_in = in·…, fan_out = out·… (as torch computes them).
//   torch_default   weight and bias ~ U(−1/√fan_in, 1/√fan_in)        (torch.nn.Linear's reset)
//   xavier_uniform  weight ~ U(−a, a), a = √(6 / (fan_in + fan_out)); bias 0
//   xavier_normal   weight ~ N(0, 2 / (fan_in + fan_out)); bias 0
//   he_uniform      weight ~ U(−a, a), a = √(6 / fan_in) (ReLU gain √2); bias 0
//   he_normal       weight ~ N(0, 2 / fan_in); bias 0
//   numpy_uniform   weight ~ U[0, 1) drawn as np.random.rand(in, out) (the seed notebook's),
//                   bias ~ U[0, 1) as np.random.rand(out)
// The distributions are torch's; the draws are numpy's (Random), not torch's generator.
// A tensor that states its initial_value (layer.hpp: BatchNorm's weight 1 and bias 0) gets it
// under every scheme, and draws nothing.

#include <string>
#include <string_view>

#include "scratchnet/model/sequential.hpp"
#include "scratchnet/random.hpp"

namespace scratchnet {

enum class Initializer {
  torch_default,
  xavier_uniform,
  xavier_normal,
  he_uniform,
  he_normal,
  numpy_uniform,
};

/// Fills every parameter of `model` according to `scheme`, drawing from `random`.
template <typename T>
void initialize(Sequential<T>& model, Initializer scheme, Random& random);

/// The scheme's name as written above ("he_uniform").
std::string to_string(Initializer scheme);

/// The scheme named `name`; throws std::invalid_argument listing the valid names otherwise.
Initializer parse_initializer(std::string_view name);

}  // namespace scratchnet
