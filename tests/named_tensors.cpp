#include "named_tensors.hpp"

#include <set>
#include <sstream>
#include <string>

namespace scratchnet::testing {
namespace {

std::string shape_string(const std::vector<Index>& shape) {
  std::ostringstream text;
  text << "[";
  for (std::size_t i = 0; i < shape.size(); ++i)
    text << (i ? ", " : "") << shape[i];
  text << "]";
  return text.str();
}

// Walks `tensor` depth first (row-major), fixing each dimension's extent at its first list.
::testing::AssertionResult flatten(const nlohmann::json& tensor, std::size_t depth,
                                   const std::string& where, std::vector<Index>& shape,
                                   std::vector<double>& values) {
  const std::string place = where.empty() ? "the top level" : where;
  if (tensor.is_number()) {
    if (depth != shape.size()) {
      return ::testing::AssertionFailure() << "a number at " << place << " where a list belongs";
    }
    values.push_back(tensor.get<double>());
    return ::testing::AssertionSuccess();
  }
  if (!tensor.is_array()) {
    return ::testing::AssertionFailure() << "not a number or list at " << place << ": " << tensor;
  }
  const Index extent = Index(tensor.size());
  if (depth < shape.size()) {
    if (shape[depth] != extent) {
      return ::testing::AssertionFailure()
             << "ragged lists: " << place << " has " << extent << " elements, not " << shape[depth];
    }
  } else if (values.empty()) {
    shape.push_back(extent);  // the first list at this depth fixes the extent
  } else {
    return ::testing::AssertionFailure() << "a list at " << place << " where a number belongs";
  }
  for (Index i = 0; i < extent; ++i) {
    auto result = flatten(tensor[std::size_t(i)], depth + 1, where + "[" + std::to_string(i) + "]",
                          shape, values);
    if (!result) return result;
  }
  return ::testing::AssertionSuccess();
}

}  // namespace

::testing::AssertionResult flatten_json_tensor(const nlohmann::json& tensor,
                                               std::vector<Index>& shape,
                                               std::vector<double>& values) {
  shape.clear();
  values.clear();
  return flatten(tensor, 0, "", shape, values);
}

::testing::AssertionResult load_named_tensors(const nlohmann::json& tensors,
                                              const std::vector<NamedParameter>& named,
                                              Eigen::Ref<Eigen::VectorXd> buffer) {
  if (!tensors.is_object()) {
    return ::testing::AssertionFailure() << "tensors must be a JSON object name -> nested lists";
  }
  std::set<std::string> known;
  for (const NamedParameter& parameter : named) {
    known.insert(parameter.name);
    if (!tensors.contains(parameter.name)) {
      return ::testing::AssertionFailure()
             << "no tensor named \"" << parameter.name << "\" (the model's "
             << shape_string(parameter.shape) << " parameter)";
    }
    std::vector<Index> shape;
    std::vector<double> values;
    auto result = flatten_json_tensor(tensors[parameter.name], shape, values);
    if (!result) return result << " in tensor \"" << parameter.name << "\"";
    if (shape != parameter.shape) {
      return ::testing::AssertionFailure()
             << "tensor \"" << parameter.name << "\" is " << shape_string(shape)
             << " but the model's parameter is " << shape_string(parameter.shape);
    }
    if (parameter.offset + Index(values.size()) > buffer.size()) {
      return ::testing::AssertionFailure() << "tensor \"" << parameter.name << "\" at offset "
                                           << parameter.offset << " runs past the buffer";
    }
    for (std::size_t i = 0; i < values.size(); ++i)
      buffer[parameter.offset + Index(i)] = values[i];
  }
  for (const auto& [name, tensor] : tensors.items()) {
    if (!known.count(name)) {
      return ::testing::AssertionFailure() << "tensor \"" << name << "\" is not a parameter of "
                                           << "the model";
    }
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult load_named_parameters(Sequential<double>& model,
                                                 const nlohmann::json& tensors) {
  return load_named_tensors(tensors, model.named_parameters(), model.parameters());
}

std::vector<NamedParameter> floating_buffers(const Sequential<double>& model) {
  std::vector<NamedParameter> named;
  for (const NamedBuffer& buffer : model.named_buffers()) {
    if (buffer.type == BufferType::floating)
      named.push_back({buffer.name, buffer.shape, buffer.offset});
  }
  return named;
}

::testing::AssertionResult load_named_state(Sequential<double>& model,
                                            const nlohmann::json& state) {
  nlohmann::json parameters = nlohmann::json::object(), buffers = nlohmann::json::object();
  for (const NamedBuffer& buffer : model.named_buffers()) {
    if (!state.contains(buffer.name))
      return ::testing::AssertionFailure() << "no tensor named \"" << buffer.name << "\"";
    if (buffer.type == BufferType::int64) {
      model.integer_buffers()[std::size_t(buffer.offset)] =
          state.at(buffer.name).get<std::int64_t>();
    } else {
      buffers[buffer.name] = state.at(buffer.name);
    }
  }
  for (const auto& [name, tensor] : state.items())
    if (!buffers.contains(name) && !tensor.is_number_integer()) parameters[name] = tensor;
  Eigen::VectorXd values = model.buffers();
  const auto loaded = load_named_tensors(buffers, floating_buffers(model), values);
  if (!loaded) return loaded;
  model.buffers() = values;
  return load_named_parameters(model, parameters);
}

Matrix<double> named_tensor(const Eigen::Ref<const Eigen::VectorXd>& buffer,
                            const NamedParameter& parameter) {
  Index size = 1;
  for (Index extent : parameter.shape)
    size *= extent;
  const Index rows = parameter.shape.size() >= 2 ? parameter.shape[0] : 1;
  const Index cols = rows == 0 ? 0 : size / rows;
  return Eigen::Map<const Matrix<double>>(buffer.data() + parameter.offset, rows, cols);
}

}  // namespace scratchnet::testing
