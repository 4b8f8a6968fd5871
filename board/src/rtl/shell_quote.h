#pragma once
// A path or word quoted for /bin/sh (std::system runs Verilator and the verilated driver).
#include <string>

namespace l1emu::board::detail {

inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace l1emu::board::detail
