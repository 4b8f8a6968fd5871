// The Python module `l1emu`: what the l1emu executable does, from numpy arrays (README "Python").
#include <pybind11/pybind11.h>

#include "bindings.h"

PYBIND11_MODULE(l1emu, m) {
  m.doc() =
      "l1emu: bit-exact emulation of hls4ml firmware (every layer, every bit) from numpy arrays,\n"
      "ap_fixed quantization, decision logs, replay and rates. See the README's Python section.";
  m.attr("__version__") = "0.1.0";
  l1emu::python::bind_errors(m);
  l1emu::python::bind_fixed_types(m);
  l1emu::python::bind_model(m);
  l1emu::python::bind_decisions(m);
  l1emu::python::bind_commands(m);
}
