#include "scratchnet/io/metadata_json.hpp"

#include <optional>

#include "scratchnet/io/safetensors.hpp"

namespace scratchnet::io {
namespace {

using Json = nlohmann::json;

// Thrown inside the parse to stop it at the first problem; caught below. An empty problem is
// text that is not JSON at all.
struct Refused {
  std::string problem;
};

// nlohmann's own DOM builder, with every event checked against the limits first. The parser
// itself keeps its nesting on a heap stack, not the call stack, so only the bounds are needed.
class BoundedBuilder {
 public:
  BoundedBuilder(Json& result, const MetadataJsonLimits& limits)
      : dom_(result, /*allow_exceptions=*/false), limits_(limits) {}

  bool null() { return count() && dom_.null(); }
  bool boolean(bool value) { return count() && dom_.boolean(value); }
  bool number_integer(Json::number_integer_t value) {
    return count() && dom_.number_integer(value);
  }
  bool number_unsigned(Json::number_unsigned_t value) {
    return count() && dom_.number_unsigned(value);
  }
  bool number_float(Json::number_float_t value, const Json::string_t& text) {
    return count() && dom_.number_float(value, text);
  }
  bool string(Json::string_t& text) { return count() && bounded(text) && dom_.string(text); }
  bool binary(Json::binary_t& bytes) { return count() && dom_.binary(bytes); }
  bool start_object(std::size_t size) { return count() && deeper() && dom_.start_object(size); }
  bool key(Json::string_t& text) { return bounded(text) && dom_.key(text); }
  bool end_object() {
    --depth_;
    return dom_.end_object();
  }
  bool start_array(std::size_t size) { return count() && deeper() && dom_.start_array(size); }
  bool end_array() {
    --depth_;
    return dom_.end_array();
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
    throw Refused{""};
  }

 private:
  bool count() {
    if (++values_ > limits_.max_values) {
      throw Refused{"holds more than " + std::to_string(limits_.max_values) + " values"};
    }
    return true;
  }
  bool deeper() {
    if (++depth_ > limits_.max_depth) {
      throw Refused{"nested deeper than " + std::to_string(limits_.max_depth) + " levels"};
    }
    return true;
  }
  bool bounded(const Json::string_t& text) const {
    if (text.size() > limits_.max_string_bytes) {
      throw Refused{"a string of " + std::to_string(text.size()) + " bytes, over the limit of " +
                    std::to_string(limits_.max_string_bytes)};
    }
    return true;
  }

  nlohmann::detail::json_sax_dom_parser<Json> dom_;
  const MetadataJsonLimits& limits_;
  std::size_t depth_ = 0, values_ = 0;
};

// The parsed text, or the problem that stopped it.
Json parse_bounded(std::string_view text, const MetadataJsonLimits& limits,
                   std::optional<std::string>& problem) {
  Json result;
  BoundedBuilder builder(result, limits);
  try {
    Json::sax_parse(text.begin(), text.end(), &builder);
  } catch (const Refused& refused) {
    problem = refused.problem;
    return Json();
  }
  return result;
}

}  // namespace

std::string metadata_json_problem(std::string_view text, const MetadataJsonLimits& limits) {
  std::optional<std::string> problem;
  parse_bounded(text, limits, problem);
  if (problem && problem->empty()) return "not valid JSON";
  return problem.value_or("");
}

Json parse_metadata_json(std::string_view text, const std::string& path, const std::string& key,
                         std::string_view not_json, const MetadataJsonLimits& limits) {
  std::optional<std::string> problem;
  Json parsed = parse_bounded(text, limits, problem);
  if (problem) metadata_error(path, key, problem->empty() ? std::string(not_json) : *problem);
  return parsed;
}

void metadata_error(const std::string& path, const std::string& key, const std::string& problem) {
  throw FormatError(path + ": metadata '" + key + "': " + problem);
}

}  // namespace scratchnet::io
