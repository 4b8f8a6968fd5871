#include "l1emu/emu/io/hls_synthesis.h"

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "hls_synthesis_record.h"
#include "json_fields.h"
#include "l1emu/emu/error.h"

namespace l1emu::emu {
namespace fs = std::filesystem;
namespace {

// Where hls4ml's build_prj.tcl puts the HLS project: <dir>/<ProjectName>_prj, holding the tool's
// project file (Vivado HLS writes vivado_hls.app, Vitis HLS hls.app) and
// <solution>/syn/report/csynth.xml, whose <ReportVersion><Version> is the tool's version and whose
// <UserAssignments> hold <Part> and <TargetClockPeriod> (every synthesized project of the
// calibration: Hector-Plata, Lrozzy and MinhNguy3n hls4ml-tutorial).
std::vector<fs::path> hls_project_dirs(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (e.is_directory() && name.size() > 4 && name.ends_with("_prj")) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The text of <tag>...</tag> inside `text` (the first), or "".
std::string element(const std::string& text, const std::string& tag) {
  const std::regex re("<" + tag + ">\\s*([^<]*?)\\s*</" + tag + ">");
  std::smatch m;
  return std::regex_search(text, m, re) ? m[1].str() : std::string();
}

}  // namespace

std::optional<HlsSynthesis> read_hls_synthesis_of_project(const fs::path& dir) {
  HlsSynthesis h;
  std::vector<std::string> sources;
  for (const auto& prj : hls_project_dirs(dir)) {
    if (h.tool.empty() && fs::is_regular_file(prj / "vivado_hls.app")) {
      h.tool = "vivado_hls";
      sources.push_back((prj / "vivado_hls.app").string());
    } else if (h.tool.empty() && fs::is_regular_file(prj / "hls.app")) {
      h.tool = "vitis_hls";
      sources.push_back((prj / "hls.app").string());
    }
    std::vector<fs::path> reports;
    std::error_code ec;
    for (const auto& sol : fs::directory_iterator(prj, ec)) {
      if (const fs::path r = sol.path() / "syn" / "report" / "csynth.xml"; sol.is_directory() && fs::is_regular_file(r)) reports.push_back(r);
    }
    std::sort(reports.begin(), reports.end());
    if (h.version.empty() && !reports.empty()) {
      const std::string xml = read_text(reports.front());
      const std::string report_version = element(xml, "ReportVersion");
      h.version = element(report_version.empty() ? xml : xml.substr(xml.find("<ReportVersion>")), "Version");
      h.part = element(xml, "Part");
      if (const std::string period = element(xml, "TargetClockPeriod"); !period.empty()) {
        try {
          h.clock_period_ns = std::stod(period);
        } catch (const std::exception&) {
          throw ModelError(reports.front().string() + ": TargetClockPeriod '" + period + "' is not a number");
        }
      }
      sources.push_back(reports.front().string());
    }
  }
  // hls4ml_config.yml: Backend (Vivado and VivadoAccelerator run Vivado HLS, Vitis runs Vitis HLS),
  // Part and ClockPeriod, for what the HLS project folder did not say.
  const fs::path config = dir / "hls4ml_config.yml";
  if (fs::is_regular_file(config) && (h.tool.empty() || h.part.empty() || h.clock_period_ns <= 0.0)) {
    try {
      const YAML::Node root = YAML::LoadFile(config.string());
      bool used = false;
      if (h.tool.empty() && root["Backend"] && root["Backend"].IsScalar()) {
        const std::string backend = root["Backend"].as<std::string>();
        if (backend == "Vivado" || backend == "VivadoAccelerator") h.tool = "vivado_hls";
        if (backend == "Vitis" || backend == "VitisAccelerator") h.tool = "vitis_hls";
        used = used || !h.tool.empty();
      }
      if (h.part.empty() && root["Part"] && root["Part"].IsScalar()) {
        h.part = root["Part"].as<std::string>();
        used = true;
      }
      if (h.clock_period_ns <= 0.0 && root["ClockPeriod"] && root["ClockPeriod"].IsScalar()) {
        h.clock_period_ns = root["ClockPeriod"].as<double>();
        used = true;
      }
      if (used) sources.push_back(config.string());
    } catch (const YAML::Exception& e) {
      throw ModelError(config.string() + ": " + e.what());
    }
  }
  // A csynth.xml without a tool's project file: Vivado HLS's last release is 2020.1 and Vitis HLS's
  // first 2020.1 (UG902/UG1399), so a version from 2020.2 on is Vitis HLS; older is Vivado HLS.
  if (h.tool.empty() && !h.version.empty()) h.tool = h.version < std::string("2020.2") ? "vivado_hls" : "vitis_hls";
  if (h.tool.empty()) return std::nullopt;
  for (std::size_t i = 0; i < sources.size(); ++i) h.source += (i > 0 ? ", " : "") + sources[i];
  return h;
}

namespace detail {

// "hls_synthesis": {"tool": "vivado_hls"|"vitis_hls", "version", "part", "clock_period_ns", "source"}.
HlsSynthesis parse_hls_synthesis_record(const nlohmann::json& object, const std::string& where) {
  JsonFields f(object, where + ": hls_synthesis");
  HlsSynthesis h;
  h.tool = f.string("tool");
  if (h.tool != "vivado_hls" && h.tool != "vitis_hls") f.fail("tool", "expected \"vivado_hls\" or \"vitis_hls\", found \"" + h.tool + "\"");
  h.version = f.string_or("version", "");
  h.part = f.string_or("part", "");
  if (f.has("clock_period_ns")) {
    h.clock_period_ns = f.number("clock_period_ns");
    if (!(h.clock_period_ns > 0.0)) f.fail("clock_period_ns", "must be positive");
  }
  h.source = f.string_or("source", "");
  f.reject_unknown_keys();
  return h;
}

}  // namespace detail

std::optional<HlsSynthesis> read_hls_synthesis_of_model_json(const fs::path& model_path) {
  const fs::path file = fs::is_directory(model_path) ? model_path / "model.json" : model_path;
  const std::string text = read_text(file);
  const auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) throw ModelError(file.string() + ": not a JSON object");
  if (!doc.contains("hls_synthesis")) return std::nullopt;
  return detail::parse_hls_synthesis_record(doc["hls_synthesis"], file.string());
}

std::string hls_synthesis_json(const HlsSynthesis& h) {
  nlohmann::ordered_json j;
  j["tool"] = h.tool;
  if (!h.version.empty()) j["version"] = h.version;
  if (!h.part.empty()) j["part"] = h.part;
  if (h.clock_period_ns > 0.0) j["clock_period_ns"] = h.clock_period_ns;
  if (!h.source.empty()) j["source"] = h.source;
  return j.dump();
}

}  // namespace l1emu::emu
