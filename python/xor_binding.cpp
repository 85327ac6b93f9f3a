// scratchnet.xor: Stage 1, the seed notebook's network trained on XOR by train_xor(), its
// weights, output and loss returned as numpy arrays in the notebook's orientation.
#include <pybind11/pybind11.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "arrays.hpp"
#include "bindings.hpp"
#include "scratchnet/xor.hpp"

namespace py = pybind11;

namespace scratchnet::python {

void bind_xor(py::module_& module) {
  module.def(
      "xor",
      [](std::int64_t seed, std::int64_t iterations, std::int64_t hidden, double lr) {
        // The command line's ranges (scratchnet xor --help), in Python's words.
        const auto check = [](const char* name, std::int64_t value, std::int64_t low,
                              std::int64_t high) {
          if (value < low || value > high)
            throw py::value_error(std::string(name) + " must be from " + std::to_string(low) +
                                  " to " + std::to_string(high) + ", got " + std::to_string(value));
        };
        check("seed", seed, 0, std::numeric_limits<std::uint32_t>::max());
        check("iterations", iterations, 1, max_xor_iterations);
        check("hidden", hidden, 1, max_xor_hidden);
        if (!std::isfinite(lr) || lr < 0)
          throw py::value_error("lr must be a finite number >= 0, got " +
                                py::str(py::float_(lr)).cast<std::string>());
        XorOptions options;
        options.seed = std::uint32_t(seed);
        options.iterations = iterations;
        options.hidden = hidden;
        options.learning_rate = lr;
        XorRun run;
        {
          py::gil_scoped_release release;
          run = train_xor(options);
        }
        py::dict result;
        result["initial_weights1"] = to_numpy(std::move(run.initial_weights1));
        result["initial_weights2"] = to_numpy(std::move(run.initial_weights2));
        result["weights1"] = to_numpy(std::move(run.final_weights1));
        result["weights2"] = to_numpy(std::move(run.final_weights2));
        result["output"] = to_numpy(std::move(run.output));
        result["loss"] = run.loss;
        return result;
      },
      py::arg("seed"), py::arg("iterations"), py::arg("hidden"), py::arg("lr"),
      "train_xor(): the seed notebook's run, as a dict of numpy arrays and the loss.");
}

}  // namespace scratchnet::python
