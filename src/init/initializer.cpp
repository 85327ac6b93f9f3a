#include "scratchnet/init/initializer.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <utility>

#include "scratchnet/init/numpy_uniform.hpp"

namespace scratchnet {
namespace {

constexpr std::array<std::pair<Initializer, const char*>, 6> kNames = {{
    {Initializer::torch_default, "torch_default"},
    {Initializer::xavier_uniform, "xavier_uniform"},
    {Initializer::xavier_normal, "xavier_normal"},
    {Initializer::he_uniform, "he_uniform"},
    {Initializer::he_normal, "he_normal"},
    {Initializer::numpy_uniform, "numpy_uniform"},
}};

struct Fans {
  double in;
  double out;
};

// torch's _calculate_fan_in_and_fan_out for a weight of shape [out, in, receptive field…].
Fans fans_of(const std::vector<Index>& shape) {
  double receptive_field = 1;
  for (std::size_t i = 2; i < shape.size(); ++i)
    receptive_field *= double(shape[i]);
  return {double(shape[1]) * receptive_field, double(shape[0]) * receptive_field};
}

template <typename T>
void fill_uniform(T* values, Index count, double low, double high, Random& random) {
  for (Index i = 0; i < count; ++i)
    values[i] = T(low + (high - low) * random.uniform());
}

template <typename T>
void fill_normal(T* values, Index count, double deviation, Random& random) {
  for (Index i = 0; i < count; ++i)
    values[i] = T(deviation * random.normal());
}

template <typename T>
void initialize_weight(T* values, const std::vector<Index>& shape, Initializer scheme,
                       Random& random) {
  const Fans fans = fans_of(shape);
  const Index count = ParameterShape{"weight", shape}.size();
  switch (scheme) {
    case Initializer::torch_default: {
      const double bound = 1 / std::sqrt(fans.in);
      return fill_uniform(values, count, -bound, bound, random);
    }
    case Initializer::xavier_uniform: {
      const double bound = std::sqrt(6 / (fans.in + fans.out));
      return fill_uniform(values, count, -bound, bound, random);
    }
    case Initializer::xavier_normal:
      return fill_normal(values, count, std::sqrt(2 / (fans.in + fans.out)), random);
    case Initializer::he_uniform: {
      const double bound = std::sqrt(6 / fans.in);
      return fill_uniform(values, count, -bound, bound, random);
    }
    case Initializer::he_normal:
      return fill_normal(values, count, std::sqrt(2 / fans.in), random);
    case Initializer::numpy_uniform:
      if (shape.size() != 2) throw std::invalid_argument("numpy_uniform needs 2-D weights");
      return init::numpy_uniform(MatrixView<T>(values, shape[0], shape[1]), random);
  }
}

template <typename T>
void initialize_bias(T* values, Index count, double fan_in, Initializer scheme, Random& random) {
  switch (scheme) {
    case Initializer::torch_default: {
      const double bound = 1 / std::sqrt(fan_in);
      return fill_uniform(values, count, -bound, bound, random);
    }
    case Initializer::numpy_uniform:
      return fill_uniform(values, count, 0.0, 1.0, random);
    default:
      std::fill(values, values + count, T(0));
  }
}

}  // namespace

template <typename T>
void initialize(Sequential<T>& model, Initializer scheme, Random& random) {
  double fan_in = 1;  // of the weight the next bias belongs to
  T* const parameters = model.parameters().data();
  model.for_each_layer([&](std::size_t, const Layer<T>& layer, const LayerSlices& slices) {
    T* values = parameters + slices.parameter_offset;
    for (const ParameterShape& parameter : layer.parameter_shapes()) {
      if (parameter.initial_value) {
        // Drawing nothing keeps every other tensor's draws where they were.
        std::fill_n(values, parameter.size(), T(*parameter.initial_value));
      } else if (parameter.shape.size() >= 2) {
        initialize_weight(values, parameter.shape, scheme, random);
        fan_in = fans_of(parameter.shape).in;
      } else {
        initialize_bias(values, parameter.shape[0], fan_in, scheme, random);
      }
      values += parameter.size();
    }
  });
}

std::string to_string(Initializer scheme) {
  for (const auto& [value, name] : kNames) {
    if (value == scheme) return name;
  }
  return "unknown";
}

Initializer parse_initializer(std::string_view name) {
  std::string valid;
  for (const auto& [value, known] : kNames) {
    if (name == known) return value;
    valid += valid.empty() ? known : std::string(", ") + known;
  }
  throw std::invalid_argument("unknown initializer '" + std::string(name) + "' (valid: " + valid +
                              ")");
}

template void initialize<float>(Sequential<float>&, Initializer, Random&);
template void initialize<double>(Sequential<double>&, Initializer, Random&);

}  // namespace scratchnet
