#pragma once
// Event input in the hls4ml test-bench convention (tb_input_features.dat, golden inputs.txt): one
// event per line, values separated by white space (commas are accepted too). Each value is read as
// C atof does (a double), stored as a float32, then converted to the input type: the path of
// hls4ml's test bench (shared/golden/README.md, "Inputs").
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "l1emu/emu/fixed/big_int.h"
#include "l1emu/emu/nn/model.h"

namespace l1emu::emu {

class EventTextReader {
 public:
  /// Opens `path`; every event must have exactly `values_per_event` values. Throws InputError.
  EventTextReader(const std::filesystem::path& path, std::size_t values_per_event);

  /// Reads the next event's values as float32; false at the end of the file. Blank lines are
  /// skipped. Throws InputError naming the file, the line and what was expected.
  bool next(std::vector<float>& values);

  /// 1-based line number of the event last returned.
  [[nodiscard]] std::size_t line() const { return line_; }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  std::ifstream in_;
  std::size_t values_per_event_;
  std::size_t line_ = 0;
  std::string text_;
};

/// Converts one event's float values to the raw codes of the model inputs (in input order).
[[nodiscard]] std::vector<std::vector<BigInt>> input_codes(const Model& model, const std::vector<float>& values);

/// Number of values one event carries: the sum of the model's input sizes.
[[nodiscard]] std::size_t input_width(const Model& model);

}  // namespace l1emu::emu
