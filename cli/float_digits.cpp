#include "float_digits.hpp"

#include <charconv>
#include <string_view>

#include "scratchnet/io/safetensors.hpp"
#include "scratchnet/text/shortest.hpp"

namespace scratchnet::cli {

bool holds_float32(const std::string& path) {
  for (const io::TensorRecord& tensor : io::read_safetensors(path).tensors) {
    if (tensor.dtype == io::Dtype::F32) return true;
    if (tensor.dtype == io::Dtype::F64) return false;
  }
  return false;
}

double with_float_digits(double value) {
  const std::string text = shortest_float(value);
  double decimal = value;
  std::from_chars(text.data(), text.data() + text.size(), decimal);
  return decimal;
}

void use_float_digits(nlohmann::json& json, std::initializer_list<const char*> keys) {
  if (json.is_array()) {
    for (nlohmann::json& element : json)
      use_float_digits(element, keys);
    return;
  }
  if (!json.is_object()) return;
  for (auto& [key, value] : json.items()) {
    for (const char* wanted : keys) {
      if (key == std::string_view(wanted) && value.is_number_float())
        value = with_float_digits(value.get<double>());
    }
    use_float_digits(value, keys);
  }
}

}  // namespace scratchnet::cli
