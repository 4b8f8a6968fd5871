#pragma once
// Errors of the board library. Configuration and file problems throw these with a complete message
// (file, line, key path and what was expected), so the command line prints them as they are. Data
// problems on the hot path are counted, not thrown; the library never exits the process.
#include <stdexcept>
#include <string>

namespace l1emu::board {

/// A scenario, menu, threshold file or command option that is malformed or inconsistent.
class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// An input file of the board (csynth.xml, decision log for --resume) that cannot be used.
class BoardError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace l1emu::board
