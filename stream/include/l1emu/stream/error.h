#pragma once
// Errors of the stream library. Every input is untrusted (shared/DESIGN.md, reliability policy):
// a bad file gives a DataError whose message names the file, the line or record, and what was
// expected. Data oddities inside well-formed files are counted (data_policy.h), not thrown.
#include <stdexcept>
#include <string>

namespace l1emu::stream {

/// A malformed or unreadable input (dataset, test vector, filling-scheme file).
class DataError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace l1emu::stream
