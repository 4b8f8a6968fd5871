#pragma once
// A type argument from Python: an l1emu.FixedType or its spelling.
#include <pybind11/pybind11.h>

#include <string>

#include "l1emu/emu/fixed/fixed_type.h"

namespace l1emu::python {

inline emu::FixedType fixed_type_arg(const pybind11::object& arg) {
  if (pybind11::isinstance<pybind11::str>(arg)) return emu::FixedType::parse(arg.cast<std::string>());
  if (pybind11::isinstance<emu::FixedType>(arg)) return arg.cast<emu::FixedType>();
  throw pybind11::type_error("expected a type spelling such as 'ap_fixed<8,3,AP_RND_CONV,AP_SAT>' or an l1emu.FixedType");
}

}  // namespace l1emu::python
