// The compiled half of `import scratchnet` (scratchnet._core): the library's entry points under
// Python names. The package's __init__.py re-exports them with their documentation.
#include <pybind11/pybind11.h>

#include "bindings.hpp"

PYBIND11_MODULE(_core, module) {
  module.doc() = "scratchnet's C++ library, as the scratchnet package calls it.";
  module.attr("__version__") = SCRATCHNET_VERSION;
  scratchnet::python::bind_xor(module);
}
