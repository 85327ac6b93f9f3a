#include "xor_command.hpp"

#include <charconv>
#include <limits>
#include <nlohmann/json.hpp>

#include "flag_values.hpp"
#include "scratchnet/text/numpy_print.hpp"
#include "scratchnet/text/shortest.hpp"
#include "scratchnet/xor.hpp"

namespace scratchnet::cli {
namespace {

// A matrix as nested JSON lists, row by row; nlohmann writes each double with the shortest
// digits that read back exactly.
nlohmann::json nested_lists(const Matrix<double>& matrix) {
  nlohmann::json rows = nlohmann::json::array();
  for (Index row = 0; row < matrix.rows(); ++row) {
    nlohmann::json values = nlohmann::json::array();
    for (Index col = 0; col < matrix.cols(); ++col)
      values.push_back(matrix(row, col));
    rows.push_back(std::move(values));
  }
  return rows;
}

}  // namespace

XorCommand::XorCommand(CLI::App& parent)
    : Command(parent, "xor",
              "Stage 1: train the seed notebook's 2-4-1 sigmoid network on XOR and print its "
              "output as numpy does"),
      seed_(std::to_string(default_xor_seed)) {
  add_value("--seed", seed_, "N",
            "Seed for the initial weights, drawn as np.random.seed(N); "
            "np.random.rand(2,hidden); np.random.rand(hidden,1) draws them (0..4294967295)");
  add_value("--iterations", iterations_, "N",
            "Feed-forward and backprop passes over the four rows (1..1000000000)");
  add_value("--hidden", hidden_, "N", "Hidden sigmoid units (1..1000000)");
  add_value("--lr", learning_rate_, "X",
            "Learning rate, a finite number >= 0; the seed's update is a step of 1");
  add_switch("--json", json_,
             "Print one JSON object: seed, iterations, hidden, lr, initial and final "
             "weights (weights1 is [2, hidden] as in the seed), output and loss");
  command_->footer(
      "Prints the last feed-forward pass's output as the notebook's print(nn.output) does, then "
      "the sum of squared errors of that output.");
}

XorOptions XorCommand::options_from_flags() const {
  XorOptions options;
  options.seed = static_cast<std::uint32_t>(
      parse_integer("--seed", seed_, 0, std::numeric_limits<std::uint32_t>::max()));
  options.iterations = parse_integer("--iterations", iterations_, 1, max_xor_iterations);
  options.hidden = parse_integer("--hidden", hidden_, 1, max_xor_hidden);
  options.learning_rate = parse_non_negative("--lr", learning_rate_);
  return options;
}

void XorCommand::run(std::ostream& out) {
  const XorOptions options = options_from_flags();
  const XorRun run = train_xor(options);

  if (json_) {
    const nlohmann::json report = {
        {"seed", options.seed},
        {"iterations", options.iterations},
        {"hidden", options.hidden},
        {"lr", options.learning_rate},
        {"initial",
         {{"weights1", nested_lists(run.initial_weights1)},
          {"weights2", nested_lists(run.initial_weights2)}}},
        {"final",
         {{"weights1", nested_lists(run.final_weights1)},
          {"weights2", nested_lists(run.final_weights2)}}},
        {"output", nested_lists(run.output)},
        {"loss", run.loss},
    };
    out << report.dump() << "\n";
    return;
  }
  out << numpy_str(run.output) << "\n";
  out << "loss (sum of squared errors): " << shortest(run.loss) << "\n";
}

}  // namespace scratchnet::cli
