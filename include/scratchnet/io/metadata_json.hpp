#pragma once
// JSON text stored in a file's metadata (a model's "classes", "feature_names", "normalization"
// and "training"; a checkpoint's options and history), read with bounds. A safetensors header
// may be 100 MB, and every value in it is the file author's choice: unbounded, a "training" of
// 100,000 nested brackets took gigabytes to parse and crashed whatever walked it recursively
// (printing, destroying). Every such text goes through parse_metadata_json, which refuses in
// one pass, in time and memory linear in the text's length, anything past these bounds.

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace scratchnet::io {

/// How far a metadata JSON text may go: generous for any real model, small enough that what
/// it parses into, and any recursive walk over it, stays small.
struct MetadataJsonLimits {
  std::size_t max_depth = 32;             // lists and objects inside one another
  std::size_t max_string_bytes = 65'536;  // one string or object key
  std::size_t max_values = 4'000'000;     // values in the whole text, lists' items included
};

/// What is wrong with `text` as metadata JSON ("nested deeper than 32 levels", "not valid
/// JSON: …"), or "" when nothing is. For checking a text before it is saved.
std::string metadata_json_problem(std::string_view text, const MetadataJsonLimits& limits = {});

/// Throws FormatError "PATH: metadata 'KEY': problem", the one form of every error about a value
/// in a file's metadata.
[[noreturn]] void metadata_error(const std::string& path, const std::string& key,
                                 const std::string& problem);

/// `text` parsed, within `limits`. Throws FormatError "PATH: metadata 'KEY': problem" for text
/// that goes past a bound, having stopped reading where it did, or that is not JSON at all (the
/// problem is then `not_json`: say what the key holds, "expected a JSON list of strings").
nlohmann::json parse_metadata_json(std::string_view text, const std::string& path,
                                   const std::string& key,
                                   std::string_view not_json = "not valid JSON",
                                   const MetadataJsonLimits& limits = {});

}  // namespace scratchnet::io
