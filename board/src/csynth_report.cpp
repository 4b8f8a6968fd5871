#include "l1emu/board/csynth_report.h"

#include <pugixml.hpp>

#include <charconv>
#include <cmath>
#include <limits>
#include <string_view>

#include <fmt/format.h>

#include "l1emu/board/error.h"
#include "l1emu/text/excerpt.h"

namespace l1emu::board {
namespace {

std::string trimmed(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

// Clock periods of synthesizable FPGA designs: 10 GHz to 1 MHz, with margin on both sides. Beyond,
// the report is damaged, and its latencies in ns would be nonsense (1e300 ns, 1e-300 ns).
constexpr double kMinClockNs = 0.1;
constexpr double kMaxClockNs = 1000.0;

class Reader {
 public:
  Reader(const std::filesystem::path& file, pugi::xml_node profile) : file_(file), profile_(profile) {}

  pugi::xml_node node(const char* path, bool required = true) const {
    const pugi::xml_node n = profile_.first_element_by_path(path);
    if (!n && required) throw BoardError(fmt::format("{}: missing element profile/{}", file_.string(), path));
    return n;
  }

  /// Cycle counts become the board's int cycle numbers: above INT_MAX they would wrap.
  long integer(const char* path) const {
    const std::string text = trimmed(node(path).child_value());
    long v = 0;
    const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || p != text.data() + text.size() || v < 0 || v > std::numeric_limits<int>::max()) {
      throw BoardError(fmt::format("{}: profile/{} is {}, expected an integer in [0, {}]", file_.string(), path, text::quoted_excerpt(text),
                                   std::numeric_limits<int>::max()));
    }
    return v;
  }

  std::optional<double> number(const char* path, bool required) const {
    const pugi::xml_node n = node(path, required);
    if (!n) return std::nullopt;
    const std::string text = trimmed(n.child_value());
    double v = 0;
    const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || p != text.data() + text.size() || !(v >= kMinClockNs && v <= kMaxClockNs)) {
      throw BoardError(fmt::format("{}: profile/{} is {}, expected a clock period in [{}, {}] ns", file_.string(), path, text::quoted_excerpt(text),
                                   kMinClockNs, kMaxClockNs));
    }
    return v;
  }

 private:
  const std::filesystem::path& file_;
  pugi::xml_node profile_;
};

}  // namespace

CsynthReport read_csynth_report(const std::filesystem::path& file) {
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed = doc.load_file(file.c_str());
  if (!parsed) {
    throw BoardError(fmt::format("{}: not a readable XML file ({} at byte {})", file.string(), parsed.description(), parsed.offset));
  }
  const pugi::xml_node profile = doc.child("profile");
  if (!profile) throw BoardError(fmt::format("{}: no <profile> root element (not a Vivado HLS csynth.xml)", file.string()));
  const Reader r(file, profile);
  CsynthReport rep;
  rep.part = trimmed(r.node("UserAssignments/Part").child_value());
  rep.target_clock_ns = *r.number("UserAssignments/TargetClockPeriod", true);
  rep.estimated_clock_ns = r.number("PerformanceEstimates/SummaryOfTimingAnalysis/EstimatedClockPeriod", false);
  // The scheduler's margin (UserAssignments/ClockUncertainty, ns): optional, and below the period.
  if (const pugi::xml_node u = r.node("UserAssignments/ClockUncertainty", false)) {
    const std::string text = trimmed(u.child_value());
    double v = 0;
    const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || p != text.data() + text.size() || !(v >= 0.0 && v < rep.target_clock_ns)) {
      throw BoardError(fmt::format("{}: profile/UserAssignments/ClockUncertainty is {}, expected [0, {}) ns (the period)", file.string(),
                                   text::quoted_excerpt(text), rep.target_clock_ns));
    }
    rep.clock_uncertainty_ns = v;
  }
  rep.best_latency_cycles = r.integer("PerformanceEstimates/SummaryOfOverallLatency/Best-caseLatency");
  rep.worst_latency_cycles = r.integer("PerformanceEstimates/SummaryOfOverallLatency/Worst-caseLatency");
  rep.interval_min_cycles = r.integer("PerformanceEstimates/SummaryOfOverallLatency/Interval-min");
  rep.interval_max_cycles = r.integer("PerformanceEstimates/SummaryOfOverallLatency/Interval-max");
  rep.bram18 = r.integer("AreaEstimates/Resources/BRAM_18K");
  // Vivado HLS names the DSP column after the family's slice (DSP48E); Vitis HLS calls it DSP.
  rep.dsp = r.node("AreaEstimates/Resources/DSP48E", false) ? r.integer("AreaEstimates/Resources/DSP48E")
                                                             : r.integer("AreaEstimates/Resources/DSP");
  rep.ff = r.integer("AreaEstimates/Resources/FF");
  rep.lut = r.integer("AreaEstimates/Resources/LUT");
  rep.uram = r.node("AreaEstimates/Resources/URAM", false) ? r.integer("AreaEstimates/Resources/URAM") : 0;
  if (rep.interval_min_cycles < 1) throw BoardError(fmt::format("{}: Interval-min must be at least 1 cycle", file.string()));
  if (rep.worst_latency_cycles < rep.best_latency_cycles) {
    throw BoardError(fmt::format("{}: Worst-caseLatency {} is below Best-caseLatency {}", file.string(),
                                 rep.worst_latency_cycles, rep.best_latency_cycles));
  }
  return rep;
}

ModelEstimate apply_csynth(ModelEstimate estimate, const CsynthReport& report) {
  estimate.source = "csynth";
  estimate.clock_mhz = 1000.0 / report.target_clock_ns;
  estimate.latency_cycles = static_cast<int>(report.worst_latency_cycles);
  estimate.ii_cycles = static_cast<int>(report.interval_min_cycles);
  estimate.resources.dsp = report.dsp;
  estimate.resources.lut = report.lut;
  estimate.resources.ff = report.ff;
  estimate.resources.bram36 = 0.5 * static_cast<double>(report.bram18);
  return estimate;
}

}  // namespace l1emu::board
