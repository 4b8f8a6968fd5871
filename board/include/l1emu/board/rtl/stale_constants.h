#pragma once
// Stale RTL: the Verilog was synthesized from other weights than the project's. The HLS
// preprocessed source (<solution>/.autopilot/db/<top>.pp.0.cpp, written by csynth) holds the
// constant arrays synthesis used, as the weight headers gave them (`weight2_t w2[12] = {...};`);
// comparing them by name with the project's firmware/weights/<name>.h (or .txt, the files the model
// is read from) names the arrays that differ.
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace l1emu::board {

struct ConstantArray {
  std::string name;
  std::vector<double> values;
  std::size_t line = 0;
};

/// Every `name[N] = { numbers };` array of a C/C++ file (any type in front; others skipped).
[[nodiscard]] std::vector<ConstantArray> read_constant_arrays(const std::filesystem::path& file);

/// The preprocessed source of `top` for the RTL in rtl_dir: the .autopilot/db of the solution folder
/// (rtl_dir is <solution>/impl/verilog or <solution>/syn/verilog; a folder up to three levels
/// above), <top>.pp.0.cpp, else the one *.pp.0.cpp there.
[[nodiscard]] std::optional<std::filesystem::path> find_preprocessed_source(const std::filesystem::path& rtl_dir, const std::string& top);

struct ArrayDifference {
  std::string name;
  std::size_t differing = 0, total = 0;
  std::filesystem::path model_file;
};

struct StaleConstantsCheck {
  std::filesystem::path synthesized;    // the .pp.0.cpp
  std::size_t arrays_compared = 0;
  std::vector<ArrayDifference> differences;
};

/// Compares the arrays of `preprocessed` with the project's weight files of the same name.
/// Throws BoardError when a file cannot be read.
[[nodiscard]] StaleConstantsCheck compare_synthesized_constants(const std::filesystem::path& preprocessed, const std::filesystem::path& project);

}  // namespace l1emu::board
