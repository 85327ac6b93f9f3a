#include "scratchnet/layers/layer_description.hpp"

#include <charconv>
#include <iterator>
#include <stdexcept>

#include "scratchnet/text/shortest.hpp"

namespace scratchnet {

const AttributeValue* LayerDescription::find(const std::string& name) const {
  for (const LayerAttribute& attribute : attributes)
    if (attribute.name == name) return &attribute.value;
  return nullptr;
}

void LayerDescription::missing(const std::string& name) const {
  throw std::invalid_argument(kind + " has no attribute '" + name + "' of the type asked for");
}

std::string LayerDescription::text() const {
  std::string out = kind + "(";
  for (std::size_t i = 0; i < attributes.size(); ++i) {
    if (i > 0) out += ", ";
    out += attributes[i].name + "=";
    const AttributeValue& value = attributes[i].value;
    if (const auto* whole = std::get_if<std::int64_t>(&value)) out += std::to_string(*whole);
    if (const auto* real = std::get_if<double>(&value)) out += shortest(*real);
    if (const auto* text = std::get_if<std::string>(&value))
      out.append("'").append(*text).append("'");
    if (const auto* flag = std::get_if<bool>(&value)) out += *flag ? "True" : "False";
  }
  return out + ")";
}

double real_attribute(float value) {
  char buffer[32];
  const char* end = std::to_chars(buffer, std::end(buffer), value).ptr;
  double decimal = 0;
  std::from_chars(buffer, end, decimal);
  return decimal;
}

double real_attribute(double value) {
  return value;
}

}  // namespace scratchnet
