#pragma once
// Latency, initiation interval (II) and resources of an hls4ml io_parallel / latency-strategy model
// on a device at a clock, layer by layer. hls4ml itself gives no cycle model (shared/FACTS.md
// section 4): the numbers come from Vivado HLS synthesis. This estimator stands in when no report
// exists; a csynth.xml (csynth_report.h) overrides it with the synthesized numbers.
// The reasoning behind every rule is in timing_estimate.cpp; it is calibrated on the RTL of public
// hls4ml designs that `l1emu verify rtl` co-simulates and on their Vivado HLS schedules.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "l1emu/board/device.h"
#include "l1emu/emu/io/hls_synthesis.h"
#include "l1emu/emu/nn/model.h"

namespace l1emu::board {

struct ResourceCount {
  long dsp = 0;
  long lut = 0;
  long ff = 0;
  double bram36 = 0.0;  // BRAM18 halves count 0.5
  ResourceCount& operator+=(const ResourceCount& o) {
    dsp += o.dsp;
    lut += o.lut;
    ff += o.ff;
    bram36 += o.bram36;
    return *this;
  }
};

struct LayerEstimate {
  std::string name;
  std::string class_name;
  int latency_cycles = 0;  // the layer's own pipeline: states minus one (csynth's instance latency)
  int ii_cycles = 1;
  ResourceCount resources;
};

struct ModelEstimate {
  std::string model;
  std::string device;
  double clock_mhz = 0.0;
  /// "estimate" (this file's model) or "csynth" (numbers from a synthesis report).
  std::string source = "estimate";
  std::vector<LayerEstimate> layers;
  int latency_cycles = 0;  // states of the top-level pipeline minus one (the critical path through the layer graph)
  int ii_cycles = 1;
  ResourceCount resources;
  /// The rules chosen for this model and why (printed by `l1emu estimate`), e.g. a Dense whose
  /// ReuseFactor limits its multipliers.
  std::vector<std::string> notes;
  /// The HLS tool modelled (HlsTool::name()) and where it came from ("option", "model.json", "assumed").
  std::string hls_tool;
  std::string hls_tool_source;

  [[nodiscard]] double period_ns() const { return 1000.0 / clock_mhz; }
  [[nodiscard]] double latency_ns() const { return latency_cycles * period_ns(); }
  [[nodiscard]] double ii_ns() const { return ii_cycles * period_ns(); }
};

/// Vivado HLS's default clock uncertainty: 12.5 % of the period (UG902). Vitis HLS's is 27 %.
inline constexpr double kVivadoHlsClockUncertainty = 0.125;

/// The HLS tool whose scheduling the estimate models. Most rules are calibrated on Vivado HLS 2019.2;
/// Vitis HLS differs where its schedules show it (timing_estimate.cpp, README "l1emu estimate").
struct HlsTool {
  enum class Family { VivadoHls, VitisHls };
  Family family = Family::VivadoHls;
  int year = 2019;
  int release = 2;
  /// "vivado-2019.2", "vitis-2024.2".
  [[nodiscard]] std::string name() const;
  [[nodiscard]] bool vitis() const { return family == Family::VitisHls; }
  /// At least version year.release.
  [[nodiscard]] bool at_least(int y, int r) const { return year > y || (year == y && release >= r); }
};

/// "vivado", "vivado-2019", "vivado-2019.2", "vitis", "vitis-2023", "vitis-2024.2" (a missing
/// release is .1, a missing version the family's calibrated default: vivado 2019.2, vitis 2024.1).
/// Throws ConfigError naming the accepted forms.
[[nodiscard]] HlsTool parse_hls_tool(std::string_view text);

/// The tool a model.json "hls_synthesis" record names ("vivado_hls"/"vitis_hls" and a version
/// "2024.2"); `note`, when given, receives a note when a default had to fill the version (else it is
/// left empty). Throws ConfigError.
[[nodiscard]] HlsTool hls_tool_of(const emu::HlsSynthesis& synthesis, std::string* note);

struct EstimateOptions {
  double clock_mhz = 200.0;
  /// hls4ml ReuseFactor of the layers that carry none of their own (a Dense carries the project's,
  /// model.json's layer `reuse_factor`): the II is R cycles, and R limits the multipliers.
  int reuse_factor = 1;
  /// Fraction of the period the scheduler keeps free (csynth.xml's ClockUncertainty / period).
  double clock_uncertainty = kVivadoHlsClockUncertainty;
  /// reuse_factor replaces every layer's own (the command line's --reuse-factor).
  bool reuse_factor_overrides_layers = false;
  /// The HLS tool (the commands take --hls-tool, else model.json's hls_synthesis, which l1emu import
  /// writes); when absent Vivado HLS 2019.2 is assumed and a note says so and how to choose.
  std::optional<HlsTool> hls_tool = std::nullopt;
  /// Where hls_tool came from, for the output ("option", "model.json").
  std::string hls_tool_source = "option";
};

/// The largest reuse factor estimated: above any layer's product count in an L1 trigger model, and
/// low enough that latencies of reuse_factor cycles per layer add up within int.
inline constexpr int kMaxReuseFactor = 1 << 20;

/// Throws ConfigError for a clock outside (0, device.max_clock_mhz], reuse_factor outside
/// [1, kMaxReuseFactor] or a clock uncertainty outside [0, 1).
[[nodiscard]] ModelEstimate estimate_model(const emu::Model& model, const Device& device, const EstimateOptions& options);

/// Utilization in percent of the device (0 when the device has none of a resource).
[[nodiscard]] double percent(long used, long available);

}  // namespace l1emu::board
