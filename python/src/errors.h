#pragma once
// Errors the module raises itself, beside the libraries' own (translated in errors.cpp). Messages
// are the command line's: they name the file, the place and what was expected.
#include <stdexcept>

namespace l1emu::python {

/// Raised as FileNotFoundError (a model, scenario or log path that does not exist).
class FileNotFound : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace l1emu::python
