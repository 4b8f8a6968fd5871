#include "l1emu/board/scenario.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "l1emu/board/clock_domain.h"
#include "l1emu/board/device.h"
#include "l1emu/board/error.h"
#include "l1emu/board/event_source.h"
#include "l1emu/board/feature_builder.h"
#include "l1emu/board/link_stage.h"
#include "l1emu/board/menu.h"
#include "l1emu/board/timing_estimate.h"
#include "l1emu/registry/registry.h"
#include "l1emu/stream/event_generator.h"
#include "l1emu/stream/filling_scheme.h"
#include "l1emu/text/excerpt.h"
#include "l1emu/text/utf8.h"

namespace l1emu::board {
namespace fs = std::filesystem;
namespace {

constexpr long long kMaxFramesPerBx = 1024;
constexpr long long kMaxStageCycles = 1'000'000;

// A YAML map being read into a Config struct: remembers which keys were read, so finish() can
// reject the unknown ones by their full path.
class Section {
 public:
  Section(YAML::Node node, std::string path, const std::string& file) : node_(std::move(node)), path_(std::move(path)), file_(file) {
    if (node_ && !node_.IsNull() && !node_.IsMap()) fail(path_.empty() ? "(top level)" : path_, "expected a map of keys");
  }

  [[noreturn]] void fail(const std::string& key, const std::string& what, const YAML::Node& at = {}) const {
    const int line = at && at.Mark().line >= 0 ? at.Mark().line + 1 : (node_ && node_.Mark().line >= 0 ? node_.Mark().line + 1 : 0);
    throw ConfigError(fmt::format("{}:{}: {}: {}", file_, line, key, what));
  }
  [[nodiscard]] std::string key_path(const std::string& key) const { return path_.empty() ? key : path_ + "." + key; }

  [[nodiscard]] YAML::Node raw(const std::string& key) {
    used_.insert(key);
    if (!node_ || !node_.IsMap()) return {};
    return node_[key];
  }

  template <class T>
  void read(const std::string& key, T& value) {
    const YAML::Node n = raw(key);
    if (!n || n.IsNull()) return;
    if (!n.IsScalar()) fail(key_path(key), "expected a single value", n);
    try {
      value = n.as<T>();
    } catch (const YAML::Exception&) {
      fail(key_path(key), fmt::format("'{}' is not {}", n.Scalar(), type_name<T>()), n);
    }
    // YAML is UTF-8 text; a string that is not would reach summary.json and make its writer throw.
    if constexpr (std::is_same_v<T, std::string>) {
      if (!text::is_valid_utf8(value)) fail(key_path(key), fmt::format("{} is not UTF-8 text", text::quoted_excerpt(value)), n);
    }
    // YAML's .nan and .inf are numbers to yaml-cpp; no scenario number means either, and a NaN
    // compares false against every limit (a NaN fault rate or budget would act as 0).
    if constexpr (std::is_floating_point_v<T>) {
      if (!std::isfinite(value)) fail(key_path(key), fmt::format("'{}' is not a finite number", n.Scalar()), n);
    }
  }
  /// Reads an integer that must lie in [lo, hi] (cycle counts and sizes that later arithmetic in
  /// int must not overflow).
  template <class T>
  void read_in(const std::string& key, T& value, long long lo, long long hi) {
    read(key, value);
    if (static_cast<long long>(value) < lo || static_cast<long long>(value) > hi) {
      fail(key_path(key), fmt::format("{} is outside [{}, {}]", value, lo, hi), raw(key));
    }
  }
  template <class T>
  void read_in(const std::string& key, std::optional<T>& value, long long lo, long long hi) {
    read(key, value);
    if (value && (static_cast<long long>(*value) < lo || static_cast<long long>(*value) > hi)) {
      fail(key_path(key), fmt::format("{} is outside [{}, {}]", *value, lo, hi), raw(key));
    }
  }
  template <class T>
  void read(const std::string& key, std::optional<T>& value) {
    T v{};
    const YAML::Node n = raw(key);
    if (!n || n.IsNull() || (n.IsScalar() && n.Scalar() == "auto")) return;
    read(key, v);
    value = v;
  }
  void read_path(const std::string& key, fs::path& value, const fs::path& base) {
    std::string s;
    read(key, s);
    if (!s.empty()) value = fs::path(s).is_absolute() ? fs::path(s) : (base / s).lexically_normal();
  }

  Section child(const std::string& key) { return {raw(key), key_path(key), file_}; }

  /// Runs a check whose message already names its key path (parse_bx_mask, Menu), adding the
  /// file and line of this section.
  template <class Check>
  void check_at(const Check& check) const {
    try {
      check();
    } catch (const std::exception& e) {
      const int line = node_ && node_.Mark().line >= 0 ? node_.Mark().line + 1 : 0;
      throw ConfigError(fmt::format("{}:{}: {}", file_, line, e.what()));
    }
  }

  std::vector<Section> items(const std::string& key) {
    const YAML::Node n = raw(key);
    std::vector<Section> out;
    if (!n || n.IsNull()) return out;
    if (!n.IsSequence()) fail(key_path(key), "expected a list", n);
    for (std::size_t i = 0; i < n.size(); ++i) out.emplace_back(n[i], fmt::format("{}.{}", key_path(key), i), file_);
    return out;
  }

  void finish() const {
    if (!node_ || !node_.IsMap()) return;
    for (const auto& kv : node_) {
      const std::string k = kv.first.as<std::string>();
      // A key is echoed as an excerpt with escapes: one line whatever bytes it holds.
      if (!used_.count(k)) fail(key_path(printable(k)), "unknown key", kv.first);
    }
  }

 private:
  template <class T>
  static const char* type_name() {
    if constexpr (std::is_same_v<T, bool>) return "true or false";
    else if constexpr (std::is_same_v<T, std::string>) return "a string";
    else if constexpr (std::is_floating_point_v<T>) return "a number";
    else if constexpr (std::is_unsigned_v<T>) return "a non-negative integer";
    else return "an integer";
  }
  static std::string printable(const std::string& key) {
    const bool plain = std::all_of(key.begin(), key.end(), [](char c) { return c >= 0x20 && c < 0x7f; }) && key.size() <= 64;
    return plain ? key : text::quoted_excerpt(key);
  }
  YAML::Node node_;
  std::string path_;
  const std::string& file_;
  std::set<std::string> used_;
};

// --set a.b.c=value: walks (and creates) maps, indexes sequences by number, sets a scalar parsed
// as YAML so numbers stay numbers.
void apply_override(YAML::Node root, const std::string& assignment, const std::string& file) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0) throw ConfigError(fmt::format("--set '{}': expected key=value", assignment));
  const std::string key = assignment.substr(0, eq);
  const std::string value = assignment.substr(eq + 1);
  std::vector<std::string> parts;
  std::stringstream ss(key);
  for (std::string p; std::getline(ss, p, '.');) {
    if (p.empty()) throw ConfigError(fmt::format("--set '{}': empty key component", assignment));
    parts.push_back(p);
  }
  std::vector<YAML::Node> chain{root};
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    YAML::Node cur = chain.back();
    if (cur.IsSequence()) {
      std::size_t idx = 0;
      const auto [p, ec] = std::from_chars(parts[i].data(), parts[i].data() + parts[i].size(), idx);
      if (ec != std::errc{} || p != parts[i].data() + parts[i].size() || idx >= cur.size()) {
        throw ConfigError(fmt::format("{}: --set {}: '{}' is not an index of the list", file, key, parts[i]));
      }
      chain.push_back(cur[idx]);
    } else {
      chain.push_back(cur[parts[i]]);
    }
  }
  YAML::Node parsed;
  try {
    parsed = YAML::Load(value);
  } catch (const YAML::Exception& e) {
    throw ConfigError(fmt::format("--set {}: value '{}' is not valid YAML ({})", key, value, e.msg));
  }
  YAML::Node parent = chain.back();
  if (parent.IsSequence()) {
    std::size_t idx = 0;
    const auto [p, ec] = std::from_chars(parts.back().data(), parts.back().data() + parts.back().size(), idx);
    if (ec != std::errc{} || idx >= parent.size()) throw ConfigError(fmt::format("{}: --set {}: bad list index", file, key));
    parent[idx] = parsed;
  } else {
    parent[parts.back()] = parsed;
  }
}

}  // namespace

stream::BxMask parse_bx_mask(const std::string& text, const std::string& key) {
  stream::BxMask mask;
  if (text == "all") return mask.set();
  std::stringstream ss(text);
  for (std::string item; std::getline(ss, item, ',');) {
    const auto trim = [](std::string s) {
      s.erase(0, s.find_first_not_of(' '));
      s.erase(s.find_last_not_of(' ') + 1);
      return s;
    };
    item = trim(item);
    const auto dash = item.find('-');
    int a = 0;
    int b = 0;
    const auto num = [&](const std::string& s, int& v) {
      const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
      if (s.empty() || ec != std::errc{} || p != s.data() + s.size() || v < 0 || v >= stream::kBxPerOrbit) {
        throw ConfigError(fmt::format("{}: '{}' is not a BX 0..{} or a range a-b", key, item, stream::kBxPerOrbit - 1));
      }
    };
    if (dash == std::string::npos) {
      num(item, a);
      b = a;
    } else {
      num(trim(item.substr(0, dash)), a);
      num(trim(item.substr(dash + 1)), b);
    }
    if (b < a) throw ConfigError(fmt::format("{}: range '{}' ends before it starts", key, item));
    for (int bx = a; bx <= b; ++bx) mask.set(static_cast<std::size_t>(bx));
  }
  return mask;
}

namespace {
Scenario read_scenario(const fs::path& file, const std::vector<std::string>& overrides);
}  // namespace

Scenario load_scenario(const fs::path& file, const std::vector<std::string>& overrides) {
  // What the reader does not check itself (keys that are lists, --set paths through scalars)
  // surfaces as yaml-cpp's own exception: its text gets the file and line here.
  try {
    return read_scenario(file, overrides);
  } catch (const YAML::Exception& e) {
    throw ConfigError(fmt::format("{}:{}: {} (the scenario's structure is not what l1emu reads)", file.string(), e.mark.line + 1,
                                  text::quoted_excerpt(e.msg, 160)));
  }
}

namespace {

// Names and numbers checked at load so their errors carry the key path and line, not only the
// library's words.
template <class Check>
void check_name(Section& section, const std::string& key, const Check& check) {
  try {
    check();
  } catch (const std::exception& e) {
    section.fail(key, e.what());
  }
}

void read_source(Section& top, Scenario& s, const fs::path& base) {
  Section src = top.child("source");
  src.read("kind", s.source.kind);
  src.read("seed", s.source.seed);
  src.read_path("file", s.source.file, base);
  src.read("filling_scheme", s.source.filling_scheme);
  src.read_path("filling_scheme_file", s.source.filling_scheme_file, base);
  for (auto& item : src.items("samples")) {
    SampleConfig c;
    item.read("process", c.process);
    item.read("events", c.events);
    item.finish();
    check_name(item, item.key_path("process"), [&] { (void)stream::parse_process(c.process); });
    s.source.samples.push_back(c);
  }
  src.finish();
  check_name(src, "source.kind", [&] {
    const auto kinds = event_source_names();
    if (std::find(kinds.begin(), kinds.end(), s.source.kind) == kinds.end()) {
      throw registry::UnknownNameError("event source kind", s.source.kind, kinds);
    }
  });
  // The generator makes its events from samples; the other kinds read a file.
  if (s.source.kind == "generator" && s.source.samples.empty()) src.fail("source.samples", "a generator source needs at least one sample");
  if (s.source.kind != "generator" && s.source.file.empty()) src.fail("source.file", "required for kind " + s.source.kind);

  if (s.source.kind != "testvector") {
    check_name(src, "source.filling_scheme", [&] {
      const auto names = stream::filling_scheme_names();
      if (std::find(names.begin(), names.end(), s.source.filling_scheme) == names.end()) {
        throw std::invalid_argument(fmt::format("unknown filling scheme '{}' (known: {})", s.source.filling_scheme, fmt::join(names, ", ")));
      }
    });
  }
}

void read_links(Section& top, Scenario& s) {
  Section links = top.child("links");
  links.read("protocol", s.links.protocol);
  links.read("tmux", s.links.tmux);
  links.read("frames_per_bx", s.links.frames_per_bx);
  links.read("interpacket_gap", s.links.interpacket_gap);
  links.read("offset", s.links.offset);
  links.read("crc", s.links.crc);
  {
    Section faults = links.child("faults");
    faults.read("seed", s.links.fault_seed);
    faults.read("bit_flip_rate", s.links.bit_flip_rate);
    faults.read("dropped_frame_rate", s.links.dropped_frame_rate);
    faults.read("repeated_frame_rate", s.links.repeated_frame_rate);
    faults.read("missing_end_of_packet_rate", s.links.missing_end_of_packet_rate);
    faults.read("misaligned_packet_rate", s.links.misaligned_packet_rate);
    faults.finish();
  }
  links.finish();

  check_name(links, "links", [&] { (void)make_link_stage(s.links); });
}

void read_model(Section& top, Scenario& s, const fs::path& base) {
  Section model = top.child("model");
  model.read_path("path", s.model.path, base);
  model.read("features", s.model.features);
  model.read("muon_phi", s.model.muon_phi);
  model.read("score_output", s.model.score_output);
  model.read_in("reuse_factor", s.model.reuse_factor, 1, kMaxReuseFactor);
  model.finish();
  if (s.model.path.empty()) model.fail("model.path", "required");
  if (s.model.muon_phi != "vertex" && s.model.muon_phi != "muon-system") model.fail("model.muon_phi", "expected vertex or muon-system");

  check_name(model, "model.features", [&] { (void)make_feature_builder({s.model.features, MuonPhi::vertex}); });
}

void read_board(Section& top, Scenario& s, const fs::path& base) {
  Section board = top.child("board");
  board.read("device", s.board.device);
  board.read("clock_mhz", s.board.clock_mhz);
  board.read("link_clock_mhz", s.board.link_clock_mhz);
  // Bounds far above any board (a few frames per BX, tens of cycles per stage) and far below what
  // the pipeline's int cycle arithmetic can hold when the stages are added and multiplied.
  board.read_in("frames_per_bx", s.board.frames_per_bx, 1, kMaxFramesPerBx);
  board.read_in("cdc_cycles", s.board.cdc_cycles, 0, kMaxStageCycles);
  board.read_in("unpack_cycles", s.board.unpack_cycles, 0, kMaxStageCycles);
  board.read_in("menu_cycles", s.board.menu_cycles, 0, kMaxStageCycles);
  board.read_in("fifo_depth", s.board.fifo_depth, 0, kMaxStageCycles);
  board.read_in("model_latency_cycles", s.board.model_latency_cycles, 0, kMaxStageCycles);
  board.read_in("model_ii_cycles", s.board.model_ii_cycles, 1, kMaxStageCycles);
  board.read_path("csynth", s.board.csynth, base);
  board.read("latency_budget_ns", s.board.latency_budget_ns);
  board.finish();
  if (s.board.latency_budget_ns < 0.0) board.fail("board.latency_budget_ns", "must be at least 0 (0: no budget)");

  check_name(board, "board.device", [&] { (void)get_device(s.board.device); });
  check_name(board, "board.clock_mhz", [&] { (void)ClockDomain::from_mhz("board", s.board.clock_mhz); });
  check_name(board, "board.link_clock_mhz", [&] { (void)ClockDomain::from_mhz("link", s.board.link_clock_mhz); });
}

void read_menu(Section& top, Scenario& s, const fs::path& base) {
  Section menu = top.child("menu");
  menu.read_path("thresholds_file", s.menu.thresholds_file, base);
  for (auto& item : menu.items("bits")) {
    MenuBitSection b;
    item.read("bit", b.bit);
    item.read("name", b.name);
    item.read("threshold", b.threshold);
    item.read("prescale", b.prescale);
    item.read("bx_mask", b.bx_mask);
    item.finish();
    item.check_at([&] { (void)parse_bx_mask(b.bx_mask, item.key_path("bx_mask")); });
    s.menu.bits.push_back(b);
  }
  menu.finish();
  // The bits of the thresholds file and of the list together: numbers in range, none twice.
  menu.check_at([&] { (void)Menu(menu_config(s)); });

}

Scenario read_scenario(const fs::path& file, const std::vector<std::string>& overrides) {
  const std::string fname = file.string();
  YAML::Node root;
  try {
    root = YAML::LoadFile(fname);
  } catch (const YAML::BadFile&) {
    throw ConfigError(fmt::format("{}: cannot open scenario file", fname));
  } catch (const YAML::ParserException& e) {
    // yaml-cpp's text may quote the offending byte as it is (a newline, a NUL): escaped, one line.
    throw ConfigError(fmt::format("{}:{}: not valid YAML ({})", fname, e.mark.line + 1, text::quoted_excerpt(e.msg, 160)));
  }
  if (!root || root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  if (!root.IsMap()) throw ConfigError(fmt::format("{}:{}: the top level must be a map of keys", fname, root.Mark().line + 1));
  for (const auto& o : overrides) apply_override(root, o, fname);

  const fs::path base = fs::absolute(file).parent_path();
  Scenario s;
  s.file = fs::absolute(file).lexically_normal();
  Section top(root, "", fname);
  top.read("name", s.name);
  if (s.name.empty()) s.name = file.stem().string();
  top.read("max_events", s.max_events);
  top.read("threads", s.threads);
  if (s.threads < 0) top.fail("threads", "must be at least 0");

  read_source(top, s, base);
  read_links(top, s);
  read_model(top, s, base);
  read_board(top, s, base);
  read_menu(top, s, base);
  Section out = top.child("output");
  out.read_path("dir", s.output.dir, fs::current_path());
  out.read("csv", s.output.csv);
  out.read("progress_every", s.output.progress_every);
  out.finish();
  if (s.output.dir.empty()) s.output.dir = fs::current_path() / "out" / s.name;
  top.finish();
  return s;
}

}  // namespace

MenuConfig menu_config(const Scenario& s) {
  MenuConfig m;
  if (!s.menu.thresholds_file.empty()) m = read_thresholds_json(s.menu.thresholds_file);
  for (std::size_t i = 0; i < s.menu.bits.size(); ++i) {
    const auto& b = s.menu.bits[i];
    AlgorithmBit a{b.bit, b.name, b.threshold, b.prescale, std::nullopt};
    if (b.bx_mask != "all") a.bx_mask = parse_bx_mask(b.bx_mask, fmt::format("menu.bits.{}.bx_mask", i));
    m.bits.push_back(std::move(a));
  }
  return m;
}

std::string to_yaml(const Scenario& s) {
  YAML::Emitter e;
  e << YAML::BeginMap;
  e << YAML::Key << "name" << YAML::Value << s.name;
  e << YAML::Key << "max_events" << YAML::Value << s.max_events;
  e << YAML::Key << "threads" << YAML::Value << s.threads;
  e << YAML::Key << "source" << YAML::Value << YAML::BeginMap;
  e << YAML::Key << "kind" << YAML::Value << s.source.kind;
  e << YAML::Key << "seed" << YAML::Value << s.source.seed;
  if (!s.source.file.empty()) e << YAML::Key << "file" << YAML::Value << s.source.file.string();
  e << YAML::Key << "filling_scheme" << YAML::Value << s.source.filling_scheme;
  if (!s.source.filling_scheme_file.empty()) e << YAML::Key << "filling_scheme_file" << YAML::Value << s.source.filling_scheme_file.string();
  if (!s.source.samples.empty()) {
    e << YAML::Key << "samples" << YAML::Value << YAML::BeginSeq;
    for (const auto& c : s.source.samples) {
      e << YAML::Flow << YAML::BeginMap << YAML::Key << "process" << YAML::Value << c.process << YAML::Key << "events" << YAML::Value
        << c.events << YAML::EndMap;
    }
    e << YAML::EndSeq;
  }
  e << YAML::EndMap;
  e << YAML::Key << "links" << YAML::Value << YAML::BeginMap << YAML::Key << "protocol" << YAML::Value << s.links.protocol;
  e << YAML::Key << "tmux" << YAML::Value << s.links.tmux << YAML::Key << "frames_per_bx" << YAML::Value << s.links.frames_per_bx;
  e << YAML::Key << "interpacket_gap" << YAML::Value << s.links.interpacket_gap << YAML::Key << "offset" << YAML::Value << s.links.offset;
  e << YAML::Key << "crc" << YAML::Value << s.links.crc;
  e << YAML::Key << "faults" << YAML::Value << YAML::BeginMap << YAML::Key << "seed" << YAML::Value << s.links.fault_seed;
  e << YAML::Key << "bit_flip_rate" << YAML::Value << s.links.bit_flip_rate << YAML::Key << "dropped_frame_rate" << YAML::Value
    << s.links.dropped_frame_rate << YAML::Key << "repeated_frame_rate" << YAML::Value << s.links.repeated_frame_rate;
  e << YAML::Key << "missing_end_of_packet_rate" << YAML::Value << s.links.missing_end_of_packet_rate << YAML::Key
    << "misaligned_packet_rate" << YAML::Value << s.links.misaligned_packet_rate << YAML::EndMap << YAML::EndMap;
  e << YAML::Key << "model" << YAML::Value << YAML::BeginMap;
  e << YAML::Key << "path" << YAML::Value << s.model.path.string();
  e << YAML::Key << "features" << YAML::Value << s.model.features;
  e << YAML::Key << "muon_phi" << YAML::Value << s.model.muon_phi;
  e << YAML::Key << "score_output" << YAML::Value << s.model.score_output;
  e << YAML::Key << "reuse_factor" << YAML::Value << s.model.reuse_factor;
  e << YAML::EndMap;
  e << YAML::Key << "board" << YAML::Value << YAML::BeginMap;
  e << YAML::Key << "device" << YAML::Value << s.board.device;
  e << YAML::Key << "clock_mhz" << YAML::Value << s.board.clock_mhz;
  e << YAML::Key << "link_clock_mhz" << YAML::Value << s.board.link_clock_mhz;
  e << YAML::Key << "frames_per_bx" << YAML::Value << s.board.frames_per_bx;
  e << YAML::Key << "cdc_cycles" << YAML::Value << s.board.cdc_cycles;
  e << YAML::Key << "unpack_cycles" << YAML::Value << s.board.unpack_cycles;
  e << YAML::Key << "menu_cycles" << YAML::Value << s.board.menu_cycles;
  e << YAML::Key << "fifo_depth" << YAML::Value << s.board.fifo_depth;
  e << YAML::Key << "model_latency_cycles" << YAML::Value;
  if (s.board.model_latency_cycles) e << *s.board.model_latency_cycles; else e << "auto";
  e << YAML::Key << "model_ii_cycles" << YAML::Value;
  if (s.board.model_ii_cycles) e << *s.board.model_ii_cycles; else e << "auto";
  if (!s.board.csynth.empty()) e << YAML::Key << "csynth" << YAML::Value << s.board.csynth.string();
  e << YAML::Key << "latency_budget_ns" << YAML::Value << s.board.latency_budget_ns;
  e << YAML::EndMap;
  e << YAML::Key << "menu" << YAML::Value << YAML::BeginMap;
  if (!s.menu.thresholds_file.empty()) e << YAML::Key << "thresholds_file" << YAML::Value << s.menu.thresholds_file.string();
  e << YAML::Key << "bits" << YAML::Value << YAML::BeginSeq;
  for (const auto& b : s.menu.bits) {
    e << YAML::Flow << YAML::BeginMap << YAML::Key << "bit" << YAML::Value << b.bit << YAML::Key << "name" << YAML::Value << b.name
      << YAML::Key << "threshold" << YAML::Value << b.threshold << YAML::Key << "prescale" << YAML::Value << b.prescale << YAML::Key
      << "bx_mask" << YAML::Value << b.bx_mask << YAML::EndMap;
  }
  e << YAML::EndSeq << YAML::EndMap;
  e << YAML::Key << "output" << YAML::Value << YAML::BeginMap;
  e << YAML::Key << "dir" << YAML::Value << s.output.dir.string();
  e << YAML::Key << "csv" << YAML::Value << s.output.csv;
  e << YAML::Key << "progress_every" << YAML::Value << s.output.progress_every;
  e << YAML::EndMap << YAML::EndMap;
  return std::string(e.c_str()) + "\n";
}

}  // namespace l1emu::board
