// l1emu verify rtl: runs the RTL that HLS synthesized from an hls4ml project under Verilator, cycle by
// cycle, on the same events as l1emu's model, and compares every output code; reports the latency
// and II the RTL shows beside csynth's numbers and l1emu's estimate (board/rtl/*.h).
#include "verify_rtl.h"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <iostream>
#include <optional>

#include <fmt/format.h>

#include "command.h"
#include "command_line.h"
#include "l1emu/board/csynth_report.h"
#include "l1emu/board/device.h"
#include "l1emu/board/error.h"
#include "l1emu/board/rtl/rtl_driver_generator.h"
#include "l1emu/board/rtl/rtl_port_map.h"
#include "l1emu/board/rtl/rtl_simulation.h"
#include "l1emu/board/rtl/stale_constants.h"
#include "l1emu/board/rtl/verilator_build.h"
#include "l1emu/board/rtl/verilog_ports.h"
#include "l1emu/board/timing_estimate.h"
#include "l1emu/emu/io/hls_synthesis.h"
#include "l1emu/emu/compiled/compiled_model.h"
#include "l1emu/emu/io/atomic_file.h"
#include "l1emu/emu/io/event_text.h"
#include "l1emu/emu/io/hls4ml_project.h"
#include "l1emu/emu/io/model_loader.h"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace l1emu::app {

const char* const kVerifyRtlUsage =
    "usage: l1emu verify rtl --model PROJECT --rtl RTL_DIR --input EVENTS [--top NAME] [--csynth FILE] [--events N]\n"
    "                        [--mode stream|single|gaps] [--latency L] [--ii I] [--build-dir DIR] [--jobs N] [--output FILE] [--json]\n\n"
    "Simulates the Verilog that Vivado/Vitis HLS synthesized from the hls4ml project PROJECT (RTL_DIR: its\n"
    "<solution>/impl/verilog or syn/verilog) under Verilator, cycle by cycle: the events of EVENTS (test-bench\n"
    "text, converted to the input type as predict does) go in as raw codes through the top module's ports\n"
    "(ap_ctrl_hs or none; ap_none, ap_vld, AXI-Stream, ap_fifo), and every output code is compared with l1emu's.\n"
    "Modes: stream (an event as soon as the last is taken: the II), single (one at a time), gaps (0..3 idle\n"
    "cycles between events). Reports the latency (ap_start to ap_done) and II measured on the RTL, csynth's\n"
    "(--csynth, else <solution>/syn/report/<top>_csynth.xml) and l1emu's estimate. A design without\n"
    "handshakes runs freely: an input every --ii cycles, outputs read --latency cycles later (default from\n"
    "csynth). When outputs differ and the HLS preprocessed source (.autopilot/db/<top>.pp.0.cpp) is there,\n"
    "the constant arrays synthesis used are compared with the project's weights. Needs verilator on PATH;\n"
    "builds are cached (--build-dir, else $L1EMU_RTL_CACHE or ~/.cache/l1emu/rtl). --output writes the RTL's\n"
    "output codes, one event per line as predict --format raw does, for a diff with other simulations.\n"
    "Exit status 0 when every output code agrees, 1 on any mismatch or error, 2 on a bad command line.\n\n";

namespace {

std::uint64_t mask(int width) { return width >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << width) - 1; }

std::int64_t signed_code(std::uint64_t bits, const emu::FixedType& t) {
  if (!t.is_signed || t.width >= 64 || ((bits >> (t.width - 1)) & 1U) == 0) return static_cast<std::int64_t>(bits);
  return static_cast<std::int64_t>(bits | ~mask(t.width));
}

// <solution>/syn/report/<top>_csynth.xml (or csynth.xml) for RTL in <solution>/{impl,syn}/verilog.
std::optional<fs::path> find_csynth(const fs::path& rtl, const std::string& top) {
  fs::path dir = fs::absolute(rtl);
  for (int up = 0; up <= 3; ++up, dir = dir.parent_path()) {
    for (const std::string& name : {top + "_csynth.xml", std::string("csynth.xml")}) {
      if (fs::is_regular_file(dir / "syn" / "report" / name)) return dir / "syn" / "report" / name;
    }
  }
  return std::nullopt;
}

board::RtlMode parse_mode(const std::string& m) {
  if (m == "stream") return board::RtlMode::stream;
  if (m == "single") return board::RtlMode::single;
  if (m == "gaps") return board::RtlMode::gaps;
  throw UsageError("--mode must be stream, single or gaps");
}

std::string cycles_text(const board::CycleStats& s) {
  return s.min == s.max ? fmt::format("{}", s.min) : fmt::format("{}-{} (mean {:.2f})", s.min, s.max, s.mean);
}

}  // namespace

int run_verify_rtl(const std::vector<std::string>& args) {
  std::string model_path, rtl, input_path, top, csynth_path, mode_name = "stream", build_dir, output_path;
  long long events_limit = -1, latency = -1, ii = -1;
  int jobs = 1;
  po::options_description options("options");
  options.add_options()("help,h", "print this help")("model", po::value(&model_path), "the hls4ml project the RTL was synthesized from")(
      "rtl", po::value(&rtl), "folder of the Verilog (.v) files")("input", po::value(&input_path), "events, one per line (tb_input_features.dat)")(
      "top", po::value(&top), "top module (default: the project's top function)")("csynth", po::value(&csynth_path), "csynth.xml to compare with")(
      "events", po::value(&events_limit), "at most this many events")("mode", po::value(&mode_name), "stream (default), single or gaps")(
      "latency", po::value(&latency), "a design without handshakes: cycles from input to output")(
      "ii", po::value(&ii), "a design without handshakes: cycles between inputs (default 1)")(
      "build-dir", po::value(&build_dir), "where verilated builds are cached")("output", po::value(&output_path), "write the RTL's output codes here")("jobs", po::value(&jobs), "compiler processes (default 1)")(
      "json", "print a JSON summary");
  po::variables_map vm;
  if (!parse_command_line(args, options, kVerifyRtlUsage, vm)) return 0;
  if (model_path.empty() || rtl.empty() || input_path.empty()) throw UsageError("--model, --rtl and --input are required");
  const board::RtlMode mode = parse_mode(mode_name);
  if (!emu::is_hls4ml_project(model_path)) {
    throw board::ConfigError(model_path + ": not an hls4ml project folder (the RTL's ports are named after its top function's parameters)");
  }
  const bool json = vm.count("json") != 0;

  const emu::Model model = emu::load_model(model_path);
  const emu::Hls4mlTopInterface iface = emu::read_hls4ml_top_interface(model_path);
  std::vector<board::RtlParameter> ins, outs;
  for (std::size_t i = 0; i < model.inputs().size(); ++i) {
    const auto& s = model.inputs()[i];
    ins.push_back({iface.inputs.at(i), s.size, static_cast<unsigned>(s.type.width), s.type.to_string()});
  }
  std::vector<emu::FixedType> out_types;
  for (std::size_t k = 0; k < model.output_indices().size(); ++k) {
    const auto s = model.array_spec(model.output_indices()[k]);
    outs.push_back({iface.outputs.at(k), s.size, static_cast<unsigned>(s.type.width), s.type.to_string()});
    for (std::size_t i = 0; i < s.size; ++i) out_types.push_back(s.type);
  }
  for (const auto* list : {&ins, &outs}) {
    for (const auto& p : *list) {
      if (p.value_width > 64) throw board::ConfigError(fmt::format("{}: {} values are wider than 64 bits: not supported by verify rtl", p.name, p.type));
    }
  }
  const board::VerilogModule module = board::find_top_module(rtl, top.empty() ? iface.function : top);
  const board::RtlPortMap map = board::map_rtl_ports(module, ins, outs);
  const bool free_running = !map.handshake && map.wires_only();

  std::optional<fs::path> csynth_file = csynth_path.empty() ? find_csynth(rtl, module.name) : std::optional<fs::path>(csynth_path);
  std::optional<board::CsynthReport> csynth;
  if (csynth_file) csynth = board::read_csynth_report(*csynth_file);
  board::RtlRunOptions run_options;
  run_options.mode = mode;
  if (free_running) {
    if (latency < 0 && csynth) latency = csynth->worst_latency_cycles;
    if (ii < 0 && csynth) ii = csynth->interval_min_cycles;
    if (latency < 0) {
      throw UsageError(fmt::format("module {} has no ap_start/ap_done and no stream: give its --latency (cycles from input to output) or --csynth",
                                   module.name));
    }
    run_options.latency = latency;
    run_options.ii = ii < 1 ? 1 : ii;
  }

  // Events: test-bench text converted to the input types, then raw bits (two's complement) per value.
  emu::EventTextReader reader(input_path, emu::input_width(model));
  std::vector<std::uint64_t> codes;
  std::vector<std::int64_t> signed_codes;
  std::vector<std::size_t> lines;
  std::vector<float> values;
  while ((events_limit < 0 || static_cast<long long>(lines.size()) < events_limit) && reader.next(values)) {
    const auto c = emu::input_codes(model, values);
    for (std::size_t i = 0; i < c.size(); ++i) {
      for (const auto& v : c[i]) {
        const auto x = v.convert_to<std::int64_t>();
        signed_codes.push_back(x);
        codes.push_back(static_cast<std::uint64_t>(x) & mask(model.inputs()[i].type.width));
      }
    }
    lines.push_back(reader.line());
  }
  const std::size_t n = lines.size();
  if (n == 0) throw board::ConfigError(input_path + ": no events");

  // l1emu's outputs (the compiled engine, bit-identical to the reference evaluator).
  const emu::CompiledModel compiled(model);
  auto ws = compiled.make_workspace();
  const std::size_t in_w = map.input_values(), out_w = map.output_values();
  std::vector<std::int64_t> expected(n * out_w);
  for (std::size_t e = 0; e < n; e += emu::CompiledModel::kBatch) {
    const std::size_t count = std::min(emu::CompiledModel::kBatch, n - e);
    compiled.evaluate(ws, signed_codes.data() + e * in_w, count, expected.data() + e * out_w);
  }

  board::check_memory_files(rtl);
  board::VerilatorBuildOptions bo{rtl, module.name, build_dir, jobs};
  if (!json) fmt::print(stderr, "verify rtl: verilating {} (or reusing its cached build)...\n", module.name);
  const board::VerilatorBuild build = board::build_with_verilator(bo, board::generate_rtl_driver(map));
  const board::RtlRun run = board::run_rtl_simulation(build.executable, rtl, codes, n, out_w, run_options, build.folder / "run");

  std::size_t mismatches = 0, mismatched_events = 0;
  nlohmann::json first_json;
  std::string first;
  for (std::size_t e = 0; e < n; ++e) {
    bool bad = false;
    for (std::size_t k = 0; k < out_w; ++k) {
      const auto& type = out_types[k];
      const std::uint64_t got = run.outputs[e * out_w + k] & mask(type.width);
      const std::uint64_t want = static_cast<std::uint64_t>(expected[e * out_w + k]) & mask(type.width);
      if (got == want) continue;
      ++mismatches;
      bad = true;
      if (first.empty()) {
        std::size_t p = 0, i = k;
        while (i >= outs[p].size) i -= outs[p++].size;
        first = fmt::format("event {} ({}:{}) output {}[{}]: rtl code {}, l1emu code {}", e + 1, input_path, lines[e], outs[p].name, i,
                            signed_code(got, type), signed_code(want, type));
        first_json = {{"event", e + 1}, {"line", lines[e]}, {"output", outs[p].name}, {"index", i}, {"rtl_code", signed_code(got, type)},
                      {"l1emu_code", signed_code(want, type)}};
      }
    }
    mismatched_events += bad ? 1 : 0;
  }

  if (!output_path.empty()) {
    emu::AtomicFile file(output_path);
    for (std::size_t e = 0; e < n; ++e) {
      for (std::size_t k = 0; k < out_w; ++k) {
        file.stream() << (k == 0 ? "" : " ") << signed_code(run.outputs[e * out_w + k] & mask(out_types[k].width), out_types[k]);
      }
      file.stream() << '\n';
    }
    file.commit();
  }
  const board::RtlTimingSummary timing = board::summarize_timing(run.timing);
  // The estimate at the design's own clock and clock uncertainty when csynth's report gives them (the
  // scheduler packs operations into that usable period), on the part when l1emu knows it.
  board::EstimateOptions estimate_options;
  const board::Device* part = nullptr;
  if (csynth) {
    estimate_options.clock_mhz = 1000.0 / csynth->target_clock_ns;
    if (csynth->clock_uncertainty_ns) estimate_options.clock_uncertainty = *csynth->clock_uncertainty_ns / csynth->target_clock_ns;
    part = board::find_device(csynth->part);
    // Vivado HLS writes the part with a dash before the package (csynth.xml `xc7z020-clg400-1` for
    // the part xc7z020clg400-1 that hls4ml's config names): try that spelling too.
    if (!part) {
      std::string joined = csynth->part;
      if (const auto dash = joined.find('-'); dash != std::string::npos) part = board::find_device(joined.erase(dash, 1));
    }
  }
  const board::Device& estimate_device = part ? *part : board::get_device("xcvu9p-flgb2104-2-e");
  // The HLS tool the project folder records (csynth.xml's version, hls.app or vivado_hls.app), as
  // `l1emu import` writes it into model.json; else the estimate assumes one and notes it.
  std::string tool_note;
  if (const auto synthesis = emu::read_hls_synthesis_of_project(model_path)) {
    estimate_options.hls_tool = board::hls_tool_of(*synthesis, &tool_note);
    estimate_options.hls_tool_source = "project";
  }
  const board::ModelEstimate estimate = board::estimate_model(model, estimate_device, estimate_options);
  std::optional<board::StaleConstantsCheck> stale;
  if (mismatches > 0) {
    if (auto pp = board::find_preprocessed_source(rtl, module.name)) stale = board::compare_synthesized_constants(*pp, model_path);
  }
  const double rate = run.seconds > 0 ? static_cast<double>(n) / run.seconds : 0.0;

  if (json) {
    const auto stats = [](const board::CycleStats& s) { return nlohmann::json{{"min", s.min}, {"max", s.max}, {"mean", s.mean}, {"samples", s.samples}}; };
    nlohmann::json out = {{"model", model.project()},
                          {"rtl", rtl},
                          {"top", module.name},
                          {"mode", mode_name},
                          {"handshake", map.handshake ? "ap_ctrl_hs" : free_running ? "none (free-running)" : "none (streams)"},
                          {"events", n},
                          {"values", n * out_w},
                          {"mismatches", mismatches},
                          {"mismatched_events", mismatched_events},
                          {"first_mismatch", first_json},
                          {"latency_cycles", stats(timing.latency)},
                          {"ii_cycles", timing.ii ? stats(*timing.ii) : nlohmann::json()},
                          {"l1emu_estimate",
                           {{"latency_cycles", estimate.latency_cycles},
                            {"ii_cycles", estimate.ii_cycles},
                            {"device", estimate_device.name},
                            {"clock_mhz", estimate_options.clock_mhz},
                            {"clock_uncertainty_percent", 100.0 * estimate_options.clock_uncertainty},
                            {"hls_tool", estimate.hls_tool}}},
                          {"rtl_events_per_second", rate},
                          {"simulation_seconds", run.seconds},
                          {"build_seconds", build.seconds},
                          {"build_reused", build.reused}};
    if (free_running) out["given"] = {{"latency_cycles", run_options.latency}, {"ii_cycles", run_options.ii}};
    if (csynth) {
      out["csynth"] = {{"file", csynth_file->string()},
                       {"best_latency_cycles", csynth->best_latency_cycles},
                       {"worst_latency_cycles", csynth->worst_latency_cycles},
                       {"interval_min_cycles", csynth->interval_min_cycles},
                       {"interval_max_cycles", csynth->interval_max_cycles}};
    }
    if (stale) {
      nlohmann::json arrays = nlohmann::json::array();
      for (const auto& d : stale->differences) arrays.push_back({{"array", d.name}, {"differing", d.differing}, {"values", d.total}, {"model_file", d.model_file}});
      out["stale_constants"] = {{"synthesized_source", stale->synthesized}, {"arrays_compared", stale->arrays_compared}, {"differing_arrays", arrays}};
    }
    std::cout << out.dump(1) << '\n';
  } else {
    std::string ports;
    for (const auto* list : {&map.input_ports, &map.output_ports}) {
      for (const auto& d : *list) ports += "  " + board::describe(d) + "\n";
    }
    fmt::print("verify rtl: module {} ({}), {}, mode {}\n{}", module.name, module.file.string(),
               map.handshake ? "ap_ctrl_hs" : free_running ? "no handshake (free-running)" : "no handshake (streams)", mode_name, ports);
    for (const auto& note : map.notes) fmt::print("  note: {}\n", note);
    fmt::print("verify rtl: {} events, {} mismatches{}\n", n, mismatches,
               first.empty() ? std::string() : fmt::format(" in {} events (first: {})", mismatched_events, first));
    const std::string ii_text = timing.ii ? fmt::format("mean {:.2f} (min {}, max {})", timing.ii->mean, timing.ii->min, timing.ii->max)
                                          : std::string("not measured in this mode");
    if (free_running) {
      fmt::print("rtl latency: {} cycles, II: {} (given, not measured: the design has no handshake); l1emu estimate: {} cycles, II {}\n",
                 run_options.latency, run_options.ii, estimate.latency_cycles, estimate.ii_cycles);
    } else {
      fmt::print("rtl latency: {} cycles, II: {}; l1emu estimate: {} cycles, II {}\n", cycles_text(timing.latency), ii_text,
                 estimate.latency_cycles, estimate.ii_cycles);
    }
    fmt::print("l1emu estimate on {} at {:g} MHz, clock uncertainty {:g} %, HLS tool {} ({})\n", estimate_device.name, estimate_options.clock_mhz,
               100.0 * estimate_options.clock_uncertainty, estimate.hls_tool, estimate.hls_tool_source);
    if (!tool_note.empty()) fmt::print("note: {}\n", tool_note);
    if (csynth) {
      fmt::print("csynth: latency {} cycles (best {}), II {} (max {}) ({})\n", csynth->worst_latency_cycles, csynth->best_latency_cycles,
                 csynth->interval_min_cycles, csynth->interval_max_cycles, csynth_file->string());
    }
    fmt::print("rtl simulation: {:.0f} events/s ({:.2f} s); build {}\n", rate, run.seconds,
               build.reused ? "reused from " + build.folder.string() : fmt::format("{:.1f} s in {}", build.seconds, build.folder.string()));
    if (stale) {
      fmt::print("stale RTL check: {} constant arrays of {} compared with the project's weights, {} differ\n", stale->arrays_compared,
                 stale->synthesized.string(), stale->differences.size());
      for (const auto& d : stale->differences) {
        fmt::print("  {}: {} of {} values differ ({}); the RTL was synthesized from other weights than the model's\n", d.name, d.differing, d.total,
                   d.model_file.string());
      }
    }
  }
  return mismatches == 0 ? 0 : 1;
}

}  // namespace l1emu::app
