#pragma once
// The parts of the Python module, one per file, each adding its names to the module.

#include <pybind11/pybind11.h>

namespace scratchnet::python {

/// scratchnet.xor: the seed notebook's run (xor_binding.cpp).
void bind_xor(pybind11::module_& module);

}  // namespace scratchnet::python
