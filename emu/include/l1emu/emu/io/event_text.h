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

  /// Reads the next event with each value as `readings` (one per value, input_readings) says:
  /// Float32 values are stored as float32 (exactly representable in the double), CInt values
  /// converted to int as C does (toward zero). A value beyond float32's or int's range is an
  /// InputError naming the file, line and value. False at the end of the file.
  bool next(std::vector<double>& values, const std::vector<InputReading>& readings);

  /// 1-based line number of the event last returned.
  [[nodiscard]] std::size_t line() const { return line_; }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  std::ifstream in_;
  std::size_t values_per_event_;
  std::size_t line_ = 0;
  std::string text_;
  std::vector<std::string> tokens_;  // the values of the line last read, as written

  /// The next non-blank line's values as doubles (finite, the expected count); false at the end.
  bool read_line(std::vector<double>& values);
  [[nodiscard]] std::string where(std::size_t value) const;
};

/// Converts one event's float values to the raw codes of the model inputs (in input order).
/// Throws InputError for a model with a C int port (whose values need next(values, readings)).
[[nodiscard]] std::vector<std::vector<BigInt>> input_codes(const Model& model, const std::vector<float>& values);

/// As above, for values read by next(values, input_readings(model)).
[[nodiscard]] std::vector<std::vector<BigInt>> input_codes(const Model& model, const std::vector<double>& values);

/// How each value of an event is read: its model input's reading, repeated over the input's size.
[[nodiscard]] std::vector<InputReading> input_readings(const Model& model);

/// Number of values one event carries: the sum of the model's input sizes.
[[nodiscard]] std::size_t input_width(const Model& model);

}  // namespace l1emu::emu
