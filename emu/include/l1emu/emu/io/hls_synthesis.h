#pragma once
// Which HLS tool synthesized a project, as the project states it (model.json "hls_synthesis", which
// `l1emu import` writes). It changes no arithmetic, so the Model does not keep it: the latency
// estimate (board/timing_estimate.h) needs it because Vivado HLS and Vitis HLS schedule the same
// hls4ml code differently (README, "l1emu estimate"), and its commands read it from here.
#include <filesystem>
#include <optional>
#include <string>

namespace l1emu::emu {

struct HlsSynthesis {
  /// "vivado_hls" or "vitis_hls".
  std::string tool;
  /// The tool's version as its report states it ("2019.2", "2024.2"); empty when unknown.
  std::string version;
  /// The FPGA part as the project states it ("xc7z020-clg400-1"); empty when unknown.
  std::string part;
  /// The target clock period in ns; 0 when unknown.
  double clock_period_ns = 0.0;
  /// The files the fields were read from (for the notes of `import` and `estimate`).
  std::string source;
};

/// The tool, version, part and clock the hls4ml project folder `dir` records (see the .cpp for the
/// files read), or nullopt when it records none. Throws ModelError naming a malformed file.
[[nodiscard]] std::optional<HlsSynthesis> read_hls_synthesis_of_project(const std::filesystem::path& dir);

/// model.json's "hls_synthesis" (a model.json file, or a directory holding one), or nullopt when it
/// has none. Throws ModelError naming the file and key when the record is malformed.
[[nodiscard]] std::optional<HlsSynthesis> read_hls_synthesis_of_model_json(const std::filesystem::path& model_path);

/// The JSON object model.json carries for `h` (keys tool, version, part, clock_period_ns, source;
/// the empty ones left out), indented for the top level of model.json.
[[nodiscard]] std::string hls_synthesis_json(const HlsSynthesis& h);

}  // namespace l1emu::emu
