#pragma once
// The parts of the Python module `l1emu`, one per concept; module.cpp calls them in order.
#include <pybind11/pybind11.h>

namespace l1emu::python {

/// Exception classes and the translation of the libraries' exceptions (errors.cpp).
void bind_errors(pybind11::module_& m);
/// FixedType and quantize (fixed_type_bindings.cpp).
void bind_fixed_types(pybind11::module_& m);
/// Model, its array descriptions, predict and trace (model_bindings.cpp).
void bind_model(pybind11::module_& m);
/// read_decisions (decision_bindings.cpp).
void bind_decisions(pybind11::module_& m);
/// replay and rates (command_bindings.cpp).
void bind_commands(pybind11::module_& m);

}  // namespace l1emu::python
