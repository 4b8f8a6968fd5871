#pragma once
// Verilates an HLS top module with its generated driver (rtl_driver_generator.h) into a program,
// once per distinct design: the build folder is named after a hash of the Verilog files, the driver
// and the flags, so a second run of the same RTL starts at once. Verilator is an optional run-time
// dependency: absent, this is an error saying how to install it.
#include <filesystem>
#include <string>

namespace l1emu::board {

struct VerilatorBuildOptions {
  std::filesystem::path rtl_dir;     // every .v file here is given to Verilator
  std::string top;                   // --top-module
  std::filesystem::path cache_dir;   // where build folders live; empty: $L1EMU_RTL_CACHE, else ~/.cache/l1emu/rtl
  int jobs = 1;                      // compiler processes
};

struct VerilatorBuild {
  std::filesystem::path executable;
  std::filesystem::path folder;
  bool reused = false;   // found in the cache
  double seconds = 0.0;  // verilate and compile
};

/// The `verilator` program on PATH; throws BoardError when there is none.
[[nodiscard]] std::filesystem::path find_verilator();

/// Checks that every `$readmemh`/`$readmemb` file the Verilog names exists in rtl_dir (Verilator
/// only warns and leaves the memory at zero, which would compare as wrong outputs far from the
/// cause). Throws BoardError naming the .v file, line and the missing file.
void check_memory_files(const std::filesystem::path& rtl_dir);

/// Builds (or reuses) the program. Throws BoardError with the end of Verilator's log on failure.
[[nodiscard]] VerilatorBuild build_with_verilator(const VerilatorBuildOptions& options, const std::string& driver_source);

}  // namespace l1emu::board
