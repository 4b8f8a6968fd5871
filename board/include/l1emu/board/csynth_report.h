#pragma once
// Vivado HLS synthesis reports (csynth.xml, <project>/<solution>/syn/report/<top>_csynth.xml).
// hls4ml's own report reader takes the same fields (shared/FACTS.md section 4):
//   profile/UserAssignments/{Part, TargetClockPeriod}
//   profile/PerformanceEstimates/SummaryOfTimingAnalysis/EstimatedClockPeriod
//   profile/PerformanceEstimates/SummaryOfOverallLatency/{Best-caseLatency, Worst-caseLatency,
//                                                          Interval-min, Interval-max}   (cycles)
//   profile/AreaEstimates/Resources/{BRAM_18K, DSP48E (or DSP), FF, LUT, URAM}
// Synthesized numbers replace the estimate (timing_estimate.h): the report is the better truth.
#include <filesystem>
#include <optional>
#include <string>

#include "l1emu/board/timing_estimate.h"

namespace l1emu::board {

struct CsynthReport {
  std::string part;
  double target_clock_ns = 0.0;
  std::optional<double> estimated_clock_ns;
  std::optional<double> clock_uncertainty_ns;  // UserAssignments/ClockUncertainty, when present
  long best_latency_cycles = 0;
  long worst_latency_cycles = 0;
  long interval_min_cycles = 0;
  long interval_max_cycles = 0;
  long bram18 = 0;
  long dsp = 0;
  long ff = 0;
  long lut = 0;
  long uram = 0;
};

/// Throws BoardError naming the file and the missing or malformed element.
[[nodiscard]] CsynthReport read_csynth_report(const std::filesystem::path& file);

/// The estimate with latency (worst case: the trigger must budget for it), II (Interval-min, the
/// pipeline's initiation interval) and resource totals from the report. The clock becomes the
/// report's target clock. Per-layer rows are kept as the estimate's split (the top-level report has
/// no per-layer numbers for an inlined hls4ml model).
[[nodiscard]] ModelEstimate apply_csynth(ModelEstimate estimate, const CsynthReport& report);

}  // namespace l1emu::board
