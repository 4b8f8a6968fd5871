#pragma once
// The ports of Verilog modules, read from the module headers that Vivado HLS and Vitis HLS write:
// a non-ANSI header (`module m (a, b);` then `input [N:0] a;` declarations) or an ANSI header
// (`module m (input wire [N:0] a, output reg b);`). Only what a co-simulation driver needs: name,
// direction, width. Not a Verilog parser: bodies are skipped except for the declarations of the
// header's ports and the module names they instantiate (to find the top).
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace l1emu::board {

enum class PortDirection { input, output, inout };

struct VerilogPort {
  std::string name;
  PortDirection direction = PortDirection::input;
  unsigned width = 1;     // 0 when the range is not made of numbers (range holds its text)
  std::size_t line = 0;  // of the declaration that gives the direction and width
  std::string range;     // the declared range, as written
};

struct VerilogModule {
  std::string name;
  std::filesystem::path file;
  std::size_t line = 0;
  std::vector<VerilogPort> ports;          // in header order
  std::vector<std::string> instantiates;   // names of the module types instantiated in the body
  [[nodiscard]] const VerilogPort* find(const std::string& port) const;
};

/// Every module of a Verilog file. Throws BoardError naming file:line and what was expected (a port
/// without a direction). A range with parameters ([WIDTH-1:0], in HLS's library modules, never in
/// a top) gives width 0; the port map refuses such a port.
[[nodiscard]] std::vector<VerilogModule> read_verilog_modules(const std::filesystem::path& file);

/// The top module of the .v files of `dir`: `top` when given (an error listing the modules when it
/// is absent), else the one module that no other instantiates (an error naming the candidates and
/// asking for --top when there are several).
[[nodiscard]] VerilogModule find_top_module(const std::filesystem::path& dir, const std::string& top);

/// The .v files of `dir`, sorted.
[[nodiscard]] std::vector<std::filesystem::path> verilog_files(const std::filesystem::path& dir);

}  // namespace l1emu::board
