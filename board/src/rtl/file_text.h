#pragma once
// The whole text of a file the RTL co-simulation reads (Verilog, preprocessed C++, weight files).
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "l1emu/board/error.h"

namespace l1emu::board::detail {

/// Throws BoardError naming the file when it cannot be opened.
inline std::string read_file_text(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) throw BoardError(p.string() + ": cannot open");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace l1emu::board::detail
