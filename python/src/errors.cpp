// The libraries' exception types become Python exception classes of the module, each a subclass of
// the builtin that fits, so `except ValueError` catches a bad model and `except l1emu.ModelError`
// catches only that. The message is e.what(), exactly what the command line prints after its
// "l1emu <command>: " prefix.
#include <pybind11/pybind11.h>

#include <filesystem>

#include "command.h"  // app/: UsageError
#include "bindings.h"
#include "errors.h"
#include "l1emu/board/error.h"
#include "l1emu/emu/error.h"
#include "l1emu/stream/error.h"

namespace py = pybind11;

namespace l1emu::python {

void bind_errors(py::module_& m) {
  // Malformed files and values: ValueError. A board input that cannot be used: RuntimeError.
  py::register_exception<emu::TypeError>(m, "FixedTypeError", PyExc_ValueError);
  py::register_exception<emu::ModelError>(m, "ModelError", PyExc_ValueError);
  py::register_exception<emu::InputError>(m, "InputError", PyExc_ValueError);
  py::register_exception<stream::DataError>(m, "DataError", PyExc_ValueError);
  py::register_exception<board::ConfigError>(m, "ConfigError", PyExc_ValueError);
  py::register_exception<board::BoardError>(m, "BoardError", PyExc_RuntimeError);
  // A bad option of a command run from Python (l1emu.rates): the arguments were wrong.
  py::register_exception<app::UsageError>(m, "UsageError", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const FileNotFound& e) {
      PyErr_SetString(PyExc_FileNotFoundError, e.what());
    } catch (const std::filesystem::filesystem_error& e) {
      PyErr_SetString(PyExc_OSError, e.what());
    }
  });
}

}  // namespace l1emu::python
