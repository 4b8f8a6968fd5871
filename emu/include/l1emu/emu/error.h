#pragma once
// Error types of the emu library. Configuration and file problems throw these; the message is
// complete (it names the file, line, layer or key and what was expected), so the command line
// prints it as it is. The library never exits the process.
#include <stdexcept>
#include <string>

namespace l1emu::emu {

/// A fixed-point type that cannot be parsed or is outside what l1emu supports exactly.
class TypeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// A model file (model.json, hls4ml project, AXOL1TL package) that is malformed or inconsistent.
class ModelError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Event input (test-bench text, golden inputs) that is malformed.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace l1emu::emu
