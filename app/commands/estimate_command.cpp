// l1emu estimate: latency, II and resources of a model on a device at a clock (board/timing_estimate.h),
// optionally replaced by a Vivado HLS csynth.xml report.
#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "command.h"
#include "command_line.h"
#include "l1emu/board/csynth_report.h"
#include "l1emu/board/device.h"
#include "l1emu/board/error.h"
#include "l1emu/board/timing_estimate.h"
#include "l1emu/emu/io/hls4ml_project.h"
#include "l1emu/emu/io/hls_synthesis.h"
#include "l1emu/emu/io/model_loader.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace l1emu::app {
namespace {

constexpr const char* kUsage =
    "usage: l1emu estimate --model PATH [--device xcvu9p-flgb2104-2-e] [--clock-mhz 200] [--clock-uncertainty 12.5]\n"
    "                      [--csynth FILE] [--reuse-factor R] [--hls-tool vivado-2019.2|vitis-2024.2|...] [--json]\n\n"
    "Latency, initiation interval (II) and resources of the model as hls4ml io_parallel / latency-strategy\n"
    "firmware, layer by layer: the operations' delays packed into clock states as Vivado HLS schedules\n"
    "them, calibrated on the RTL of public hls4ml designs (README, 'l1emu estimate'). --clock-uncertainty is\n"
    "the percentage of the period HLS keeps free (Vivado HLS 12.5, the default; Vitis HLS 27). --csynth\n"
    "replaces latency (Worst-caseLatency), II (Interval-min), clock and resource totals with a Vivado HLS\n"
    "synthesis report. Each Dense takes its own reuse factor (model.json's layer 'reuse_factor', the\n"
    "project's), else the model.json 'reuse_factor' (1 when absent); --reuse-factor R replaces them all.\n"
    "A ReuseFactor that limits a Dense's multipliers is named in a 'note:' line. --hls-tool names the HLS tool\n"
    "whose scheduling is modelled (Vivado HLS and Vitis HLS differ); default: model.json's hls_synthesis\n"
    "(l1emu import records it), else vivado-2019.2, said in a note. --json prints one JSON\n"
    "object instead of the table.\n\n";

// model.json's reuse_factor: the Model does not keep it (it has no effect on the arithmetic).
int model_reuse_factor(const fs::path& model_path) {
  const fs::path file = fs::is_directory(model_path) ? model_path / "model.json" : model_path;
  std::ifstream in(file);
  if (!in) return 1;
  const auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("reuse_factor") || !j["reuse_factor"].is_number_integer()) return 1;
  return j["reuse_factor"].get<int>();
}

nlohmann::json resources_json(const board::ResourceCount& r) {
  return {{"dsp", r.dsp}, {"lut", r.lut}, {"ff", r.ff}, {"bram36", r.bram36}};
}

int run(const std::vector<std::string>& args) {
  std::string model_path, device_name = "xcvu9p-flgb2104-2-e", csynth, hls_tool;
  double clock_mhz = 200.0;
  double uncertainty_percent = 100.0 * board::kVivadoHlsClockUncertainty;
  int reuse = 0;
  po::options_description options("options");
  options.add_options()("help,h", "print this help")("model", po::value(&model_path), "model.json or a directory holding one")(
      "device", po::value(&device_name), "device name (default xcvu9p-flgb2104-2-e)")(
      "clock-mhz", po::value(&clock_mhz), "fabric clock in MHz (default 200)")(
      "clock-uncertainty", po::value(&uncertainty_percent), "percent of the period HLS keeps free (default 12.5; Vitis HLS: 27)")("csynth", po::value(&csynth), "Vivado HLS csynth.xml")(
      "reuse-factor", po::value(&reuse), "hls4ml ReuseFactor (default: the model's)")(
      "hls-tool", po::value(&hls_tool), "HLS tool modelled: vivado[-YEAR.N] or vitis[-YEAR.N] (default: the model's, else vivado-2019.2)")("json", "print JSON");
  po::variables_map vm;
  if (!l1emu::app::parse_command_line(args, options, kUsage, vm)) {
    std::cout << "\nDevices:";
    for (const auto& n : board::device_names()) std::cout << ' ' << n;
    std::cout << '\n';
    return 0;
  }
  if (model_path.empty()) throw UsageError("--model is required");
  if (vm.count("reuse-factor") && reuse < 1) throw UsageError("--reuse-factor must be at least 1");
  if (!(uncertainty_percent >= 0.0 && uncertainty_percent < 100.0)) throw UsageError("--clock-uncertainty must be in [0, 100)");

  const emu::Model model = emu::load_model(model_path);
  const board::Device& device = board::get_device(device_name);
  board::EstimateOptions opt;
  opt.clock_mhz = clock_mhz;
  opt.clock_uncertainty = uncertainty_percent / 100.0;
  opt.reuse_factor = vm.count("reuse-factor") ? reuse : model_reuse_factor(model_path);
  opt.reuse_factor_overrides_layers = vm.count("reuse-factor") > 0;
  std::string tool_note;
  if (vm.count("hls-tool")) {
    try {
      opt.hls_tool = board::parse_hls_tool(hls_tool);
    } catch (const board::ConfigError& e) {
      throw UsageError(std::string("--hls-tool: ") + e.what());
    }
  } else {
    // The tool the model names: model.json's hls_synthesis (l1emu import writes it), or, for an
    // hls4ml project folder given as the model, what the folder states (as the import reads it).
    const fs::path json_file = fs::is_directory(model_path) ? fs::path(model_path) / "model.json" : fs::path(model_path);
    const bool from_json = fs::is_regular_file(json_file);
    const auto synthesis = from_json ? emu::read_hls_synthesis_of_model_json(json_file)
                                     : (emu::is_hls4ml_project(model_path) ? emu::read_hls_synthesis_of_project(model_path) : std::nullopt);
    if (synthesis) {
      opt.hls_tool = board::hls_tool_of(*synthesis, &tool_note);
      opt.hls_tool_source = from_json ? "model.json" : "project";
    }
  }
  board::ModelEstimate est = board::estimate_model(model, device, opt);
  if (!tool_note.empty()) est.notes.insert(est.notes.begin(), tool_note);
  if (!csynth.empty()) est = board::apply_csynth(std::move(est), board::read_csynth_report(csynth));

  const auto& avail = device.resources;
  if (vm.count("json")) {
    nlohmann::json layers = nlohmann::json::array();
    for (const auto& l : est.layers) {
      layers.push_back({{"name", l.name}, {"class", l.class_name}, {"latency_cycles", l.latency_cycles},
                        {"ii_cycles", l.ii_cycles}, {"resources", resources_json(l.resources)}});
    }
    const nlohmann::json out = {
        {"model", est.model},
        {"device", est.device},
        {"clock_mhz", est.clock_mhz},
        {"clock_uncertainty_percent", uncertainty_percent},
        {"source", est.source},
        {"reuse_factor", opt.reuse_factor},
        {"hls_tool", est.hls_tool},
        {"hls_tool_source", est.hls_tool_source},
        {"latency_cycles", est.latency_cycles},
        {"latency_ns", est.latency_ns()},
        {"ii_cycles", est.ii_cycles},
        {"ii_ns", est.ii_ns()},
        {"resources", resources_json(est.resources)},
        {"utilization_percent",
         {{"dsp", board::percent(est.resources.dsp, avail.dsps)},
          {"lut", board::percent(est.resources.lut, avail.luts)},
          {"ff", board::percent(est.resources.ff, avail.flip_flops)},
          {"bram36", avail.bram36 > 0 ? 100.0 * est.resources.bram36 / static_cast<double>(avail.bram36) : 0.0}}},
        {"layers", layers},
        {"notes", est.notes}};
    std::cout << out.dump(1) << '\n';
    return 0;
  }
  fmt::print("model {} on {} at {:g} MHz ({}), reuse factor {}, HLS tool {} ({})\n", est.model, est.device, est.clock_mhz, est.source,
             opt.reuse_factor, est.hls_tool, est.hls_tool_source);
  fmt::print("{:<24} {:<20} {:>7} {:>4} {:>6} {:>8} {:>8} {:>7}\n", "layer", "class", "latency", "II", "DSP", "LUT", "FF", "BRAM36");
  for (const auto& l : est.layers) {
    fmt::print("{:<24} {:<20} {:>7} {:>4} {:>6} {:>8} {:>8} {:>7.1f}\n", l.name, l.class_name, l.latency_cycles, l.ii_cycles,
               l.resources.dsp, l.resources.lut, l.resources.ff, l.resources.bram36);
  }
  for (const auto& note : est.notes) fmt::print("note: {}\n", note);
  fmt::print("latency {} cycles = {:g} ns, II {} cycles = {:g} ns\n", est.latency_cycles, est.latency_ns(), est.ii_cycles, est.ii_ns());
  fmt::print("resources: DSP {} ({:.2f} %), LUT {} ({:.2f} %), FF {} ({:.2f} %), BRAM36 {:.1f} ({:.2f} %)\n", est.resources.dsp,
             board::percent(est.resources.dsp, avail.dsps), est.resources.lut, board::percent(est.resources.lut, avail.luts),
             est.resources.ff, board::percent(est.resources.ff, avail.flip_flops), est.resources.bram36,
             avail.bram36 > 0 ? 100.0 * est.resources.bram36 / static_cast<double>(avail.bram36) : 0.0);
  return 0;
}

const CommandRegistrar registrar{{"estimate", "latency, II and resources of a model on a device (or from csynth.xml)", &run}};

}  // namespace
}  // namespace l1emu::app
