// l1emu import: reads an hls4ml project directory or an AXOL1TL emulator package and writes the
// equivalent model.json, printing a short summary. No C++ compiler is involved.
// GCC 12 reports a false "potential null pointer dereference" inside Boost's
// typed_value<std::string>::notify as instantiated here; the code is Boost's, not ours.
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/program_options.hpp>

#include <fmt/format.h>

#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "command.h"
#include "command_line.h"
#include "l1emu/emu/io/atomic_file.h"
#include "l1emu/emu/io/axol1tl_package.h"
#include "l1emu/emu/io/hls4ml_project.h"
#include "l1emu/emu/io/hls_synthesis.h"
#include "l1emu/emu/io/model_json_writer.h"
#include "l1emu/emu/io/model_summary.h"

namespace po = boost::program_options;

namespace l1emu::app {
namespace {

constexpr const char* kUsage =
    "usage: l1emu import hls4ml|axol1tl DIR --output MODEL.json [--flavour paper|head]\n\n"
    "Reads what hls4ml wrote (DIR/firmware: defines.h, parameters.h, the top function, weights/*.txt or\n"
    "weight headers; DIR/hls4ml_config.yml) or an AXOL1TL emulator package (DIR/scales.h, DIR/NN/, the\n"
    "GTADModel_emulator wrapper) and writes the same model as model.json. What changed between hls4ml\n"
    "releases is decided per function from the project's own code (firmware/nnet_utils, parameters.h,\n"
    "the calls, hls4ml_config.yml's Version): BatchNormalization rounds once (>= 0.7) or twice (0.5/0.6,\n"
    "AE_L1_paper); LeakyReLU's alpha is param_t (>= 1.0) or data_T. --flavour paper|head sets both\n"
    "(paper: twice and data_T; head: once and param_t). The summary (layers, shapes, types, zero\n"
    "weights) and notes saying what was decided, from which file and line, go to standard output.\n\n";

int run(const std::vector<std::string>& args) {
  std::string kind, dir, output, flavour;
  po::options_description options("options");
  options.add_options()("help,h", "print this help")("output,o", po::value(&output), "the model.json to write")(
      "flavour", po::value(&flavour), "paper or head (default: detected)");
  // The two positional words come first: import KIND DIR [options].
  std::vector<std::string> rest;
  for (const auto& a : args) {
    // A word is an option's value when it follows an option written without '='.
    const bool value_of_option = !rest.empty() && rest.back().size() > 1 && rest.back()[0] == '-' &&
                                 rest.back().find('=') == std::string::npos && rest.back() != "-h" && rest.back() != "--help";
    if (!a.empty() && a[0] != '-' && !value_of_option) {
      if (kind.empty()) {
        kind = a;
        continue;
      }
      if (dir.empty()) {
        dir = a;
        continue;
      }
      throw UsageError("unexpected argument '" + a + "'");
    }
    rest.push_back(a);
  }
  po::variables_map vm;
  if (!l1emu::app::parse_command_line(rest, options, kUsage, vm)) return 0;
  if (kind != "hls4ml" && kind != "axol1tl") throw UsageError("expected 'hls4ml' or 'axol1tl' after import, found '" + kind + "'");
  if (dir.empty()) throw UsageError("expected the directory to import");
  if (output.empty()) throw UsageError("--output is required");
  std::optional<emu::Flavor> flavor;
  if (flavour == "paper") {
    flavor = emu::Flavor::Paper;
  } else if (flavour == "head") {
    flavor = emu::Flavor::Head;
  } else if (!flavour.empty()) {
    throw UsageError("--flavour must be paper or head, found '" + flavour + "'");
  }

  std::vector<std::string> notes;
  const emu::Model model = kind == "hls4ml" ? emu::import_hls4ml_project(dir, flavor, &notes) : emu::import_axol1tl_package(dir, flavor, &notes);
  std::string text = emu::write_model_json(model);
  // The HLS tool that synthesized the project, when its folder states it: model.json's
  // "hls_synthesis", which `l1emu estimate` models (Vivado HLS and Vitis HLS schedule differently).
  if (kind == "hls4ml") {
    if (const auto synthesis = emu::read_hls_synthesis_of_project(dir)) {
      const std::size_t end = text.rfind('}');
      text.insert(end - 1, ",\n  \"hls_synthesis\": " + emu::hls_synthesis_json(*synthesis));
      notes.push_back("hls_synthesis: " + synthesis->tool + (synthesis->version.empty() ? " (version not stated)" : " " + synthesis->version) +
                      (synthesis->part.empty() ? "" : ", part " + synthesis->part) +
                      (synthesis->clock_period_ns > 0.0 ? fmt::format(", clock {:g} ns", synthesis->clock_period_ns) : "") + " (from " +
                      synthesis->source + ")");
    } else {
      notes.push_back("hls_synthesis: the project states no HLS tool (no <name>_prj/vivado_hls.app or hls.app, csynth.xml or hls4ml_config.yml "
                      "Backend); `l1emu estimate` assumes one unless given --hls-tool");
    }
  }
  emu::AtomicFile file(output);
  file.stream() << text;
  file.commit();
  std::cout << emu::summarize_model(model, notes) << "written " << output << "\n";
  return 0;
}

const CommandRegistrar registrar{{"import", "convert an hls4ml project or AXOL1TL package to model.json", &run}};

}  // namespace
}  // namespace l1emu::app
