#pragma once
// Runs a verilated driver (verilator_build.h) over events of raw input codes, in the RTL folder
// (HLS ROMs load their .dat files relative to the working directory), and summarises the cycles it
// measured.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

namespace l1emu::board {

enum class RtlMode {
  stream,  // each event offered as soon as the previous one is taken: the II
  single,  // each event offered once the previous one is done: latency without overlap
  gaps,    // 0..3 idle cycles (deterministic) between events: a pipeline that keeps state across idles
};

struct RtlRunOptions {
  RtlMode mode = RtlMode::stream;
  long long latency = 0;  // a design without handshakes: outputs read this many cycles after the input
  long long ii = 1;       // a design without handshakes: cycles between inputs
};

struct RtlEventTiming {
  long long presented = 0, accepted = 0, done = 0;
  bool back_to_back = false;
};

struct RtlRun {
  std::vector<std::uint64_t> outputs;  // events x output values, raw bits
  std::vector<RtlEventTiming> timing;
  double seconds = 0.0;  // the simulation program's wall time
};

/// Runs `executable` with the working directory rtl_dir. `inputs` holds events x values_per_event
/// codes (raw bits). Throws BoardError with the program's messages when it fails or warns (a
/// Verilator %Warning at run time, such as a $readmem file not found, is an error).
[[nodiscard]] RtlRun run_rtl_simulation(const std::filesystem::path& executable, const std::filesystem::path& rtl_dir,
                                        const std::vector<std::uint64_t>& inputs, std::size_t events, std::size_t output_values,
                                        const RtlRunOptions& options, const std::filesystem::path& scratch);

struct CycleStats {
  long long min = 0, max = 0;
  double mean = 0.0;
  std::size_t samples = 0;
};

struct RtlTimingSummary {
  CycleStats latency;  // done - presented: ap_start raised (or first beat offered) to ap_done (or last output)
  std::optional<CycleStats> ii;  // accepted - previous accepted, over back-to-back events
};

[[nodiscard]] RtlTimingSummary summarize_timing(const std::vector<RtlEventTiming>& timing);

}  // namespace l1emu::board
