#include "scratchnet/model/layer_kinds.hpp"

#include <algorithm>
#include <cmath>
#include <deque>
#include <mutex>
#include <optional>
#include <stdexcept>

#include "image_layer_kinds.hpp"
#include "scratchnet/layers/adaptive_avg_pool2d.hpp"
#include "scratchnet/layers/dense.hpp"
#include "scratchnet/layers/dropout.hpp"
#include "scratchnet/layers/flatten.hpp"
#include "scratchnet/layers/gelu.hpp"
#include "scratchnet/layers/leaky_relu.hpp"
#include "scratchnet/layers/relu.hpp"
#include "scratchnet/layers/sigmoid.hpp"
#include "scratchnet/layers/softmax.hpp"
#include "scratchnet/layers/tanh.hpp"
#include "scratchnet/text/shortest.hpp"
#include "spec_arguments.hpp"

namespace scratchnet {
namespace {

constexpr Index kMaxUnits = 100'000'000;
constexpr double kDefaultLeakySlope = 0.01;

using spec::number;
using spec::refuse;

// A row for a layer of `kind` whose spec entry is its token alone and whose attributes are
// always `fixed` (GELU's approximate='none').
template <template <typename> class L>
LayerKind fixed_kind(std::string kind, std::string token, bool activation,
                     std::vector<LayerAttribute> fixed = {}) {
  LayerKind row;
  row.kind = kind;
  row.token = token;
  row.activation = activation;
  row.parse = [kind, token, fixed](std::string_view arguments) {
    // The one built-in entry that takes a value is leaky_relu's.
    if (arguments.starts_with('=')) refuse("only leaky_relu takes a value");
    if (!arguments.empty()) refuse(token + " takes no arguments");
    return LayerDescription{kind, fixed};
  };
  row.format = [](const LayerDescription&) { return std::string(); };
  row.make_float = [](const LayerDescription&, const Shape&) {
    return std::make_unique<L<float>>();
  };
  row.make_double = [](const LayerDescription&, const Shape&) {
    return std::make_unique<L<double>>();
  };
  return row;
}

// Linear: "UNITS" or "UNITS:nobias"; its activation, if any, is the spec parser's to split off.
LayerKind linear_kind() {
  LayerKind row;
  row.kind = "Linear";
  row.takes_activation = true;
  row.parse = [](std::string_view arguments) {
    const std::string_view head = arguments.substr(0, arguments.find(':'));
    const auto units = number<Index>(head);
    if (!units) {
      refuse(
          "expected UNITS[:nobias][:ACTIVATION], an activation, dropout:P, conv:OUT:K, "
          "maxpool:K, avgpool:K, batchnorm, flatten or globalavgpool, and '" +
          std::string(head) + "' is not a number of units");
    }
    if (*units < 1 || *units > kMaxUnits)
      refuse("units must be in 1.." + std::to_string(kMaxUnits));
    const bool bias = head.size() == arguments.size();
    if (!bias && arguments.substr(head.size()) != ":nobias") refuse("expected UNITS[:nobias]");
    return LayerDescription{"Linear", {{"out_features", std::int64_t{*units}}, {"bias", bias}}};
  };
  row.format = [](const LayerDescription& linear) {
    return std::to_string(linear.get<std::int64_t>("out_features")) +
           (linear.get<bool>("bias") ? "" : ":nobias");
  };
  // in_features are the input's elements, once an image is flattened.
  const auto make = []<typename T>(const LayerDescription& linear, const Shape& input) {
    if (!input.is_flat()) {
      refuse("a Linear layer takes flat samples, and its input has shape " + input.text() +
             ": put a flatten entry before it");
    }
    return std::make_unique<Dense<T>>(input.elements(),
                                      Index(linear.get<std::int64_t>("out_features")),
                                      linear.get<bool>("bias") ? Bias::add : Bias::none);
  };
  row.make_float = [make](const LayerDescription& d, const Shape& input) {
    return make.operator()<float>(d, input);
  };
  row.make_double = [make](const LayerDescription& d, const Shape& input) {
    return make.operator()<double>(d, input);
  };
  return row;
}

// LeakyReLU: "leaky_relu" (slope 0.01, torch's default) or "leaky_relu=SLOPE".
LayerKind leaky_relu_kind() {
  LayerKind row;
  row.kind = "LeakyReLU";
  row.token = "leaky_relu";
  row.activation = true;
  row.parse = [](std::string_view arguments) {
    double slope = kDefaultLeakySlope;
    if (!arguments.empty()) {
      const auto given =
          arguments.starts_with('=') ? number<double>(arguments.substr(1)) : std::nullopt;
      // One spec builds a float model as well as a double one: a slope beyond float's range
      // would become an infinite slope there, which no spec can write back.
      if (!given || !std::isfinite(float(*given))) {
        refuse(
            "leaky_relu's slope must be a finite number within float's range, as in "
            "leaky_relu=0.2");
      }
      slope = *given;
    }
    return LayerDescription{"LeakyReLU", {{"negative_slope", slope}}};
  };
  row.format = [](const LayerDescription& leaky) {
    const double slope = leaky.get<double>("negative_slope");
    std::string text;  // appended to: GCC 12 warns (-Wrestrict) on "=" + std::string&&
    if (slope != kDefaultLeakySlope) text.append("=").append(shortest(slope));
    return text;
  };
  row.make_float = [](const LayerDescription& d, const Shape&) {
    return std::make_unique<LeakyReLU<float>>(float(d.get<double>("negative_slope")));
  };
  row.make_double = [](const LayerDescription& d, const Shape&) {
    return std::make_unique<LeakyReLU<double>>(d.get<double>("negative_slope"));
  };
  return row;
}

// Dropout: "dropout:P".
LayerKind dropout_kind() {
  LayerKind row;
  row.kind = "Dropout";
  row.token = "dropout";
  row.parse = [](std::string_view arguments) {
    if (!arguments.starts_with(':')) refuse("dropout needs a probability, as in dropout:0.2");
    const auto p = number<double>(arguments.substr(1));
    if (!p || !(*p >= 0 && *p < 1)) refuse("dropout probability must be in [0, 1)");
    return LayerDescription{"Dropout", {{"p", *p}}};
  };
  row.format = [](const LayerDescription& dropout) {
    std::string text = ":";  // then appended to: GCC 12 warns (-Wrestrict) on ":" + string&&
    return text.append(shortest(dropout.get<double>("p")));
  };
  row.make_float = [](const LayerDescription& d, const Shape&) {
    return std::make_unique<Dropout<float>>(d.get<double>("p"));
  };
  row.make_double = [](const LayerDescription& d, const Shape&) {
    return std::make_unique<Dropout<double>>(d.get<double>("p"));
  };
  return row;
}

struct Table {
  std::mutex mutex;
  std::deque<LayerKind> rows;  // a deque: rows never move, so pointers to them stay valid

  Table() {
    rows.push_back(linear_kind());
    // In this order the spec parser lists the activations it knows.
    rows.push_back(fixed_kind<Sigmoid>("Sigmoid", "sigmoid", true));
    rows.push_back(fixed_kind<Tanh>("Tanh", "tanh", true));
    rows.push_back(fixed_kind<ReLU>("ReLU", "relu", true));
    rows.push_back(leaky_relu_kind());
    rows.push_back(fixed_kind<GELU>("GELU", "gelu", true, {{"approximate", std::string("none")}}));
    rows.push_back(fixed_kind<Softmax>("Softmax", "softmax", true, {{"dim", std::int64_t{1}}}));
    rows.push_back(dropout_kind());
    rows.push_back(conv2d_kind());
    rows.push_back(max_pool_kind());
    rows.push_back(avg_pool_kind());
    rows.push_back(batch_norm_kind());
    rows.push_back(
        fixed_kind<Flatten>("Flatten", "flatten", false,
                            {{"start_dim", std::int64_t{1}}, {"end_dim", std::int64_t{-1}}}));
    rows.push_back(fixed_kind<AdaptiveAvgPool2d>("AdaptiveAvgPool2d", "globalavgpool", false,
                                                 {{"output_size", std::int64_t{1}}}));
    rows[rows.size() - 2].needs_images = true;
    rows.back().needs_images = true;
  }
};

Table& table() {
  static Table instance;
  return instance;
}

// Every torch kind a row answers to.
std::vector<std::string> row_kinds(const LayerKind& row) {
  std::vector<std::string> kinds = row.also_kinds;
  kinds.push_back(row.kind);
  return kinds;
}

bool is_token(const std::string& token) {
  if (token.empty()) return false;
  for (const char c : token) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return !(token[0] >= '0' && token[0] <= '9');  // an entry starting with a digit is a Linear
}

}  // namespace

void register_layer_kind(LayerKind kind) {
  if (kind.kind.empty()) throw std::invalid_argument("a layer kind needs a name");
  if (!is_token(kind.token)) {
    throw std::invalid_argument("layer kind " + kind.kind + ": its spec token '" + kind.token +
                                "' must be lowercase letters, digits and '_', not starting "
                                "with a digit");
  }
  if (!kind.parse || !kind.format || !kind.make_float || !kind.make_double) {
    throw std::invalid_argument("layer kind " + kind.kind +
                                " needs parse, format, make_float and make_double");
  }
  Table& rows = table();
  const std::lock_guard lock(rows.mutex);
  for (const LayerKind& row : rows.rows) {
    const std::vector<std::string> new_kinds = row_kinds(kind), taken = row_kinds(row);
    const bool kind_taken = std::ranges::any_of(new_kinds, [&](const std::string& name) {
      return std::ranges::find(taken, name) != taken.end();
    });
    if (kind_taken || row.token == kind.token) {
      throw std::invalid_argument("layer kind " + kind.kind + " (spec token '" + kind.token +
                                  "'): " + row.kind + " has that name or token already");
    }
  }
  rows.rows.push_back(std::move(kind));
}

const LayerKind* find_layer_kind(std::string_view kind) {
  Table& rows = table();
  const std::lock_guard lock(rows.mutex);
  for (const LayerKind& row : rows.rows) {
    if (row.kind == kind || std::ranges::find(row.also_kinds, kind) != row.also_kinds.end())
      return &row;
  }
  return nullptr;
}

const LayerKind* find_layer_token(std::string_view token) {
  if (token.empty()) return nullptr;
  Table& rows = table();
  const std::lock_guard lock(rows.mutex);
  for (const LayerKind& row : rows.rows)
    if (row.token == token) return &row;
  return nullptr;
}

std::vector<const LayerKind*> layer_kinds() {
  Table& rows = table();
  const std::lock_guard lock(rows.mutex);
  std::vector<const LayerKind*> all;
  for (const LayerKind& row : rows.rows)
    all.push_back(&row);
  return all;
}

}  // namespace scratchnet
