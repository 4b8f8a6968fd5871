#include "l1emu/board/ugt_menu_folder.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>

#include <fmt/format.h>

#include "l1emu/board/error.h"
#include "l1emu/text/excerpt.h"

namespace l1emu::board {
namespace {

namespace fs = std::filesystem;

// An AD condition instance: its entity and generic map, by the signal it drives.
struct Condition {
  AdAlgorithmKind kind = AdAlgorithmKind::Axol1tl;
  std::int64_t threshold = 0;
  std::string model;
  std::string where;
};

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// "389", "threshold => 389" or X"7100" as an integer; false when it is none of them.
bool generic_integer(std::string v, std::int64_t& out) {
  v = trim(v);
  if (const auto arrow = v.find("=>"); arrow != std::string::npos) v = trim(v.substr(arrow + 2));
  std::smatch m;
  if (std::regex_match(v, m, std::regex(R"([xX]\"([0-9a-fA-F]{1,8})\")"))) {
    out = static_cast<std::int64_t>(std::stoll(m[1].str(), nullptr, 16));
    return true;
  }
  if (std::regex_match(v, std::regex(R"(\d{1,12})"))) {
    out = std::stoll(v);
    return true;
  }
  return false;
}

// The AD kind and model of an entity name; false for every other condition.
bool ad_entity(const std::string& entity, AdAlgorithmKind& kind, std::string& model) {
  std::smatch m;
  if (entity == "adt_wrapper") {  // the 2024 menus' AXOL1TL v1 (mp7_ugt_legacy anomaly_detection/)
    kind = AdAlgorithmKind::Axol1tl;
    model = "v1";
    return true;
  }
  if (std::regex_match(entity, m, std::regex(R"(axol1tl_(v\d+)_wrapper)"))) {
    kind = AdAlgorithmKind::Axol1tl;
    model = m[1].str();
    return true;
  }
  if (entity == "cicada_condition") {
    kind = AdAlgorithmKind::Cicada;
    model.clear();
    return true;
  }
  return false;
}

void read_instances(const fs::path& file, std::map<std::string, Condition>& conditions, std::vector<AdAlgorithm>& algorithms,
                    std::vector<std::string>& not_comparable) {
  std::ifstream in(file);
  if (!in) throw ConfigError(fmt::format("{}: cannot open", file.string()));
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  const auto at = [&](std::size_t i) { return fmt::format("{}:{}", file.string(), i + 1); };

  // Condition instances: "cond_X[_i]: entity work.E" ... "generic map(...)" ... "port map(..., X);",
  // the condition's signal being the port map's last argument (its output).
  const std::regex instance(R"(^\s*(cond_\w+)\s*:\s*entity\s+work\.(\w+))");
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::smatch m;
    if (!std::regex_search(lines[i], m, instance)) continue;
    Condition c;
    if (!ad_entity(m[2].str(), c.kind, c.model)) continue;
    const std::string label = m[1].str();
    c.where = at(i);
    std::string text;  // the instance up to the end of its port map
    std::size_t end = i;
    for (; end < lines.size(); ++end) {
      text += lines[end] + "\n";
      if (end > i && lines[end].find(");") != std::string::npos && text.find("port map") != std::string::npos) break;
    }
    const auto port = text.find("port map");
    const auto port_end = text.rfind(");");
    std::smatch out;
    const std::string ports = port == std::string::npos || port_end == std::string::npos || port_end < port ? "" : text.substr(port, port_end - port);
    if (!std::regex_search(ports, out, std::regex(R"((\w+)\s*$)"))) {
      throw ConfigError(fmt::format("{}: condition {} ({}): expected a port map ending in its output signal", c.where, label, m[2].str()));
    }
    const std::string signal = out[1].str();
    const auto generic = text.find("generic map");
    const auto open = text.find('(', generic);
    const auto close = text.find(')', open);
    if (generic == std::string::npos || open == std::string::npos || close == std::string::npos) {
      throw ConfigError(fmt::format("{}: condition {} ({}) has no generic map to read its threshold from", c.where, label, m[2].str()));
    }
    std::vector<std::string> values;
    std::string field;
    for (char ch : text.substr(open + 1, close - open - 1)) {
      if (ch == ',') {
        values.push_back(field);
        field.clear();
      } else if (ch != '\n') {
        field += ch;
      }
    }
    values.push_back(field);
    // AXOL1TL wrappers: (sim_mode, threshold); cicada_condition: (cscore => X"....").
    const std::string& value = c.kind == AdAlgorithmKind::Cicada ? values.front() : values.back();
    if (!generic_integer(value, c.threshold) || (c.kind == AdAlgorithmKind::Axol1tl && values.size() != 2)) {
      // The generic map is echoed as a one-line excerpt with escapes (it may span lines or hold any byte).
      throw ConfigError(fmt::format("{}: condition {} ({}): expected {} in its generic map, found {}", c.where, signal, m[2].str(),
                                    c.kind == AdAlgorithmKind::Cicada ? "cscore => X\"....\"" : "(sim_mode, threshold)",
                                    text::quoted_excerpt(trim(text.substr(open + 1, close - open - 1)), 60)));
    }
    if (c.kind == AdAlgorithmKind::Cicada && c.threshold > 0xFFFF) {
      throw ConfigError(fmt::format("{}: condition {}: cscore {} does not fit the 16-bit CICADA score", c.where, signal, c.threshold));
    }
    conditions[signal] = c;
    i = end;
  }

  // Algorithms: "-- BIT NAME : EXPRESSION", then "signal <= RIGHT_HAND_SIDE;".
  const std::regex comment(R"(^--\s*(\d+)\s+(L1_\w+)\s*:)");
  const std::regex assignment(R"(^\s*\w+\s*<=\s*(.*);\s*$)");
  const std::regex identifier(R"(\b\w+\b)");
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    std::smatch m, a;
    if (!std::regex_search(lines[i], m, comment)) continue;
    if (!std::regex_match(lines[i + 1], a, assignment)) continue;
    const std::string rhs = trim(a[1].str());
    std::vector<std::string> used;
    for (auto it = std::sregex_iterator(rhs.begin(), rhs.end(), identifier); it != std::sregex_iterator(); ++it) {
      if (conditions.contains(it->str())) used.push_back(it->str());
    }
    if (used.empty()) continue;
    // The digits are bounded before they are converted: beyond int, std::stoi throws a bare "stoi"
    // (issue 17, a mutated menu); the range check below then names the line.
    const std::string digits = m[1].str();
    const int bit = digits.size() <= 6 ? std::stoi(digits) : 1000000;
    if (used.size() != 1 || rhs != used.front()) {
      not_comparable.push_back(fmt::format("bit {} {} ({}): '{}' combines an anomaly-detection condition with other terms", digits, m[2].str(), at(i), rhs));
      continue;
    }
    if (bit < 0 || bit > 511) throw ConfigError(fmt::format("{}: algorithm bit {} is outside 0-511", at(i), digits));
    const Condition& c = conditions.at(used.front());
    algorithms.push_back({bit, m[2].str(), c.kind, c.threshold, c.model, at(i)});
  }
}

}  // namespace

UgtMenuFolder read_ugt_menu_folder(const fs::path& dir) {
  if (!fs::is_directory(dir)) throw ConfigError(fmt::format("{}: not a menu folder (a cms-l1-menu <year>/<menu> folder)", dir.string()));
  std::vector<fs::path> files;
  if (fs::is_directory(dir / "vhdl")) {
    for (const auto& module : fs::directory_iterator(dir / "vhdl")) {
      const fs::path f = module.path() / "src" / "gtl_module_instances.vhd";
      if (module.path().filename().string().rfind("module_", 0) == 0 && fs::is_regular_file(f)) files.push_back(f);
    }
  }
  if (files.empty()) {
    throw ConfigError(fmt::format("{}: no vhdl/module_*/src/gtl_module_instances.vhd (the menu's VHDL, which names each algorithm's bit and threshold)",
                                  dir.string()));
  }
  std::sort(files.begin(), files.end());
  UgtMenuFolder menu;
  menu.name = fs::absolute(dir).lexically_normal().filename().string();
  if (menu.name.empty()) menu.name = fs::absolute(dir).lexically_normal().parent_path().filename().string();
  for (const auto& f : files) {
    // Condition signals are local to a module: each file is read on its own.
    std::map<std::string, Condition> conditions;
    read_instances(f, conditions, menu.algorithms, menu.not_comparable);
  }
  std::sort(menu.algorithms.begin(), menu.algorithms.end(), [](const AdAlgorithm& a, const AdAlgorithm& b) { return a.bit < b.bit; });
  for (std::size_t k = 1; k < menu.algorithms.size(); ++k) {
    if (menu.algorithms[k].bit == menu.algorithms[k - 1].bit) {
      throw ConfigError(fmt::format("{}: bit {} is also algorithm {} ({})", menu.algorithms[k].where, menu.algorithms[k].bit, menu.algorithms[k - 1].name,
                                    menu.algorithms[k - 1].where));
    }
  }
  return menu;
}

std::uint16_t cicada_score(const std::array<std::uint32_t, 6>& link11) {
  std::uint16_t score = 0;
  for (int frame = 0; frame < 4; ++frame) score = static_cast<std::uint16_t>((score << 4) | ((link11[static_cast<std::size_t>(frame)] >> 28) & 0xF));
  return score;
}

}  // namespace l1emu::board
