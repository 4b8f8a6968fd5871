// l1emu verify: compares the emulated board with external truth.
//   testvector: uGT test vectors (algorithm bits per BX) -> 0 mismatches expected.
#include <algorithm>
#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <cmath>
#include <optional>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "command.h"
#include "command_line.h"
#include "verify_rtl.h"
#include "l1emu/board/error.h"
#include "l1emu/board/feature_builder.h"
#include "l1emu/board/link_stage.h"
#include "l1emu/stream/frame_comparison.h"
#include "l1emu/stream/pattern_file.h"
#include "l1emu/board/menu.h"
#include "l1emu/board/score_engine.h"
#include "l1emu/board/test_vector_check.h"
#include "l1emu/board/ugt_menu_folder.h"
#include "l1emu/emu/compiled/compiled_model.h"
#include "l1emu/emu/compiled/input_codes.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/io/event_text.h"
#include "l1emu/emu/io/model_loader.h"
#include "l1emu/emu/nn/reference_evaluator.h"
#include "l1emu/stream/test_vector.h"

namespace po = boost::program_options;

namespace l1emu::app {
namespace {

constexpr const char* kUsage =
    "usage: l1emu verify testvector --testvector FILE (--thresholds FILE | --menu DIR) [--model PATH] [--bits LIST]\n"
    "                               [--features axo57] [--muon-phi vertex|muon-system] [--link ugt-mp7|direct]\n"
    "                               [--decoded FILE] [--json]\n\n"
    "Runs every BX of a uGT test vector through the link step, the feature builder, the bit-exact model\n"
    "and the menu (bits fire when the score code >= threshold; thresholds.json: {bit: {threshold, name}})\n"
    "and compares the emulated algorithm bits with the bits the file records. --menu reads the bits from\n"
    "a cms-l1-menu folder's VHDL (vhdl/module_*/src/gtl_module_instances.vhd): every algorithm that is one\n"
    "AXOL1TL condition (its wrapper names the model version; --model must be that model) or one CICADA\n"
    "condition (score >= cscore, the score read from the file's link-11 words; no model needed).\n"
    "--bits restricts the comparison (some files were written with prescaled bits switched off). --decoded compares the\n"
    "features and score_raw of a <file>.decoded.txt too (debugging). Exit status 0 when every bit of\n"
    "every BX agrees, 1 on any mismatch or bad input, 2 on a bad command line.\n"
    "\n"
    "usage: l1emu verify csim --model PATH --input tb_input_features.dat --csim csim_results.log [--json]\n\n"
    "Compares the bit-exact outputs with an hls4ml C-simulation log (one line per event, every output\n"
    "value as C++ streams print it: 6 significant digits, so the log is not exact; shared/FACTS.md\n"
    "section 4). A value agrees when it is within half a unit of the log's 6th significant digit.\n"
    "l1emu verify patterns --expected FILE... --actual FILE...: frame-by-frame comparison of captures.\n\n";

struct DecodedCheck {
  std::size_t lines = 0;
  std::size_t feature_mismatch_bx = 0;
  std::size_t score_mismatch_bx = 0;
  std::string first;
};

// <file>.decoded.txt: '#' header, then per BX: bx, the features, score_raw, the AXO bits.
DecodedCheck check_decoded(const std::string& path, const board::ScoreEngine& engine, const std::vector<stream::TestVectorRecord>& records,
                           const std::vector<std::int64_t>& scores) {
  std::ifstream in(path);
  if (!in) throw board::ConfigError(fmt::format("{}: cannot open decoded file", path));
  DecodedCheck d;
  std::string line;
  std::size_t line_no = 0;
  const std::size_t n = engine.builder().size();
  std::vector<float> features(n);
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    std::istringstream s(line);
    long bx = 0;
    if (!(s >> bx) || bx < 0 || static_cast<std::size_t>(bx) >= records.size()) {
      throw board::ConfigError(fmt::format("{}:{}: expected a BX number below {}", path, line_no, records.size()));
    }
    std::vector<double> expected(n);
    for (auto& v : expected) {
      if (!(s >> v)) throw board::ConfigError(fmt::format("{}:{}: expected {} features", path, line_no, n));
    }
    std::int64_t score = 0;
    if (!(s >> score)) throw board::ConfigError(fmt::format("{}:{}: expected score_raw after the features", path, line_no));
    ++d.lines;
    engine.features(records[static_cast<std::size_t>(bx)].to_event(), features);
    for (std::size_t k = 0; k < n; ++k) {
      if (static_cast<double>(features[k]) != expected[k]) {
        if (d.first.empty()) d.first = fmt::format("BX {} feature {}: emulated {} decoded {}", bx, k, features[k], expected[k]);
        ++d.feature_mismatch_bx;
        break;
      }
    }
    if (scores[static_cast<std::size_t>(bx)] != score) {
      if (d.first.empty()) d.first = fmt::format("BX {} score: emulated {} decoded {}", bx, scores[static_cast<std::size_t>(bx)], score);
      ++d.score_mismatch_bx;
    }
  }
  return d;
}

// "438,440-442" as bit numbers.
std::vector<int> parse_bit_list(const std::string& text) {
  std::vector<int> bits;
  std::stringstream s(text);
  for (std::string item; std::getline(s, item, ',');) {
    int a = 0, b = 0;
    char dash = 0;
    std::istringstream one(item);
    if (!(one >> a)) throw UsageError("--bits: expected bit numbers or ranges such as 438,440-442, found '" + item + "'");
    b = a;
    if (one >> dash) {
      if (dash != '-' || !(one >> b) || b < a) throw UsageError("--bits: expected a range A-B with A <= B, found '" + item + "'");
    }
    if (a < 0 || b > 511) throw UsageError("--bits: bits are 0-511, found '" + item + "'");
    for (int k = a; k <= b; ++k) bits.push_back(k);
  }
  return bits;
}

// The bits a test vector is compared on: --thresholds (AXOL1TL bits) or --menu (the folder's
// AXOL1TL and CICADA algorithms), restricted by --bits.
struct TestVectorBits {
  std::vector<board::AlgorithmBit> axo;
  std::vector<board::AdAlgorithm> cicada;
  std::string axo_model;  // from the menu: "v4"; empty with --thresholds
  std::vector<std::string> notes;
};

TestVectorBits select_bits(const std::string& thresholds, const std::string& menu_dir, const std::string& bit_list) {
  if (thresholds.empty() == menu_dir.empty()) throw UsageError("give either --thresholds FILE or --menu DIR");
  const std::vector<int> wanted = bit_list.empty() ? std::vector<int>{} : parse_bit_list(bit_list);
  const auto keep = [&](int bit) { return wanted.empty() || std::find(wanted.begin(), wanted.end(), bit) != wanted.end(); };
  TestVectorBits out;
  std::vector<int> found;
  if (!thresholds.empty()) {
    for (const auto& b : board::read_thresholds_json(thresholds).bits) {
      found.push_back(b.bit);
      if (keep(b.bit)) out.axo.push_back(b);
    }
  } else {
    const board::UgtMenuFolder menu = board::read_ugt_menu_folder(menu_dir);
    for (const auto& a : menu.algorithms) {
      found.push_back(a.bit);
      if (!keep(a.bit)) continue;
      if (a.kind == board::AdAlgorithmKind::Cicada) {
        out.cicada.push_back(a);
        continue;
      }
      if (!out.axo_model.empty() && out.axo_model != a.model) {
        throw UsageError(fmt::format("menu {}: bit {} {} is AXOL1TL {} ({}), but an earlier bit is {}; one model runs at a time: choose with --bits",
                                     menu.name, a.bit, a.name, a.model, a.where, out.axo_model));
      }
      out.axo_model = a.model;
      out.axo.push_back({a.bit, a.name, a.threshold, 1, std::nullopt});
    }
    for (const auto& n : menu.not_comparable) out.notes.push_back("not compared: " + n);
    if (menu.algorithms.empty()) throw board::ConfigError(fmt::format("{}: the menu has no AXOL1TL or CICADA algorithm", menu_dir));
  }
  for (const int b : wanted) {
    if (std::find(found.begin(), found.end(), b) == found.end()) throw UsageError(fmt::format("--bits: bit {} is not an anomaly-detection bit of the {}", b, thresholds.empty() ? "menu" : "thresholds file"));
  }
  return out;
}

int run_testvector(const std::vector<std::string>& args) {
  std::string model_path, tv_path, thresholds, menu_dir, bit_list, features = "axo57", muon_phi = "vertex", link = "ugt-mp7", decoded;
  po::options_description options("options");
  options.add_options()("help,h", "print this help")("model", po::value(&model_path), "model.json or a directory holding one")(
      "testvector", po::value(&tv_path), "uGT test-vector file")("thresholds", po::value(&thresholds), "thresholds.json")(
      "menu", po::value(&menu_dir), "a cms-l1-menu <year>/<menu> folder: its AXOL1TL and CICADA algorithms")(
      "bits", po::value(&bit_list), "compare only these bits (438,440-442)")(
      "features", po::value(&features), "feature builder (default axo57)")("muon-phi", po::value(&muon_phi),
                                                                           "vertex (default) or muon-system")(
      "link", po::value(&link), "link step: ugt-mp7 (default; the uGT input links, encoded and decoded) or direct")("decoded", po::value(&decoded), "<file>.decoded.txt to compare too")(
      "json", "print a JSON summary");
  po::variables_map vm;
  if (!l1emu::app::parse_command_line(args, options, kUsage, vm)) return 0;
  if (tv_path.empty()) throw UsageError("--testvector is required");
  const TestVectorBits bits = select_bits(thresholds, menu_dir, bit_list);
  if (!bits.axo.empty() && model_path.empty()) {
    throw UsageError("--model is required to compare AXOL1TL bits" + (bits.axo_model.empty() ? std::string() : " (the menu's are AXOL1TL " + bits.axo_model + ")"));
  }
  board::ScoreEngineConfig config;
  config.features.name = features;
  config.origin = "--model " + model_path + ", --features " + features;
  if (muon_phi == "vertex") {
    config.features.muon_phi = board::MuonPhi::vertex;
  } else if (muon_phi == "muon-system") {
    config.features.muon_phi = board::MuonPhi::muon_system;
  } else {
    throw UsageError("--muon-phi must be vertex or muon-system");
  }

  const auto records = stream::read_test_vector(tv_path);
  const board::Menu menu(board::MenuConfig{bits.axo});
  std::optional<emu::Model> model;
  std::optional<board::ScoreEngine> engine;
  board::TestVectorCheck check;
  check.bx_count = records.size();
  auto link_stage = board::make_link_stage({link});
  if (!bits.axo.empty()) {
    model.emplace(emu::load_model(model_path));
    engine.emplace(*model, config);
    check = board::check_test_vector(*engine, menu, *link_stage, records);
  }
  const board::TestVectorCheck cicada = board::check_cicada_bits(bits.cicada, records);
  std::optional<DecodedCheck> dec;
  if (!decoded.empty()) {
    if (!engine) throw UsageError("--decoded compares the AXOL1TL features and score: it needs AXOL1TL bits and --model");
    dec = check_decoded(decoded, *engine, records, check.scores);
  }
  const std::size_t compared = records.size() * (bits.axo.size() + bits.cicada.size());
  const std::size_t mismatches = check.mismatches + cicada.mismatches;

  if (vm.count("json")) {
    nlohmann::json list = nlohmann::json::array();
    for (std::size_t b = 0; b < bits.axo.size(); ++b) {
      list.push_back({{"bit", bits.axo[b].bit}, {"name", bits.axo[b].name}, {"kind", "axol1tl"}, {"threshold", bits.axo[b].threshold},
                      {"expected_fires", check.expected_fires[b]}, {"emulated_fires", check.emulated_fires[b]}});
    }
    for (std::size_t b = 0; b < bits.cicada.size(); ++b) {
      list.push_back({{"bit", bits.cicada[b].bit}, {"name", bits.cicada[b].name}, {"kind", "cicada"}, {"threshold", bits.cicada[b].threshold},
                      {"expected_fires", cicada.expected_fires[b]}, {"emulated_fires", cicada.emulated_fires[b]}});
    }
    nlohmann::json out = {{"testvector", tv_path}, {"link", link_stage->name()}, {"features", features}, {"bx", records.size()},
                          {"bits_compared", compared}, {"mismatches", mismatches}, {"bits", list}, {"notes", bits.notes}};
    if (model) out["model"] = model->project();
    if (!menu_dir.empty()) out["menu"] = menu_dir;
    if (!bits.axo_model.empty()) out["menu_axol1tl_model"] = bits.axo_model;
    if (dec) out["decoded"] = {{"lines", dec->lines}, {"feature_mismatch_bx", dec->feature_mismatch_bx}, {"score_mismatch_bx", dec->score_mismatch_bx}};
    std::cout << out.dump(1) << '\n';
  } else {
    fmt::print("verify testvector: {}\n", tv_path);
    if (!menu_dir.empty()) {
      fmt::print("menu {}: {} AXOL1TL bit(s){}, {} CICADA bit(s) (score from link 11)\n", menu_dir, bits.axo.size(),
                 bits.axo_model.empty() ? "" : " of model " + bits.axo_model, bits.cicada.size());
    }
    for (const auto& n : bits.notes) fmt::print("  {}\n", n);
    if (model) {
      fmt::print("model {}, features {}, link {}, engine {}\n", model->project(), features, link_stage->name(), engine->compiled() ? "compiled" : "reference");
    }
    for (std::size_t b = 0; b < bits.axo.size(); ++b) {
      const auto& a = bits.axo[b];
      fmt::print("  bit {:3} {:<20} threshold {:>6}: file fires {:5} BX, emulated {:5} BX\n", a.bit, a.name, a.threshold, check.expected_fires[b],
                 check.emulated_fires[b]);
    }
    for (std::size_t b = 0; b < bits.cicada.size(); ++b) {
      const auto& a = bits.cicada[b];
      fmt::print("  bit {:3} {:<20} cscore {:>6}: file fires {:5} BX, link-11 score fires {:5} BX\n", a.bit, a.name, a.threshold, cicada.expected_fires[b],
                 cicada.emulated_fires[b]);
    }
    if (dec) {
      fmt::print("decoded {}: {} lines, {} BX with feature differences, {} BX with score differences{}\n", decoded, dec->lines,
                 dec->feature_mismatch_bx, dec->score_mismatch_bx, dec->first.empty() ? "" : " (first: " + dec->first + ")");
    }
    // The contract of the board issue: the totals, then every mismatching BX listed.
    fmt::print("BX: {}, bits compared: {}, mismatches: {}\n", records.size(), compared, mismatches);
    for (const auto& m : check.first_mismatches) {
      std::int64_t threshold = 0;
      for (const auto& a : bits.axo) {
        if (a.bit == m.bit) threshold = a.threshold;
      }
      fmt::print("  BX {} bit {}: score {}, threshold {}, recorded bit {}, emulated bit {}\n", m.bx, m.bit, m.score, threshold,
                 int{m.expected}, int{m.emulated});
    }
    for (const auto& m : cicada.first_mismatches) {
      std::int64_t threshold = 0;
      for (const auto& a : bits.cicada) {
        if (a.bit == m.bit) threshold = a.threshold;
      }
      fmt::print("  BX {} bit {}: CICADA score {}, cscore {}, recorded bit {}, emulated bit {}\n", m.bx, m.bit, m.score, threshold, int{m.expected},
                 int{m.emulated});
    }
  }
  const bool decoded_ok = !dec || (dec->feature_mismatch_bx == 0 && dec->score_mismatch_bx == 0);
  return mismatches == 0 && decoded_ok ? 0 : 1;
}


// Half a unit in the 6th significant digit of `printed` (C++ streams' default precision 6).
double six_digit_tolerance(double printed) {
  // Streams print any nonzero double with an exponent (1e-07), so a printed 0 means 0; the small
  // allowance covers printers that round tiny fixed-point values to 0.
  if (printed == 0.0) return 5e-7;
  const double exponent = std::floor(std::log10(std::fabs(printed)));
  return 0.5 * std::pow(10.0, exponent - 5) * (1 + 1e-9);
}

int run_csim(const std::vector<std::string>& args) {
  std::string model_path, input_path, csim_path;
  po::options_description options("options");
  options.add_options()("help,h", "print this help")("model", po::value(&model_path), "model.json or a directory holding one")(
      "input", po::value(&input_path), "tb_input_features.dat")("csim", po::value(&csim_path), "csim_results.log")("json", "print JSON");
  po::variables_map vm;
  if (!l1emu::app::parse_command_line(args, options, kUsage, vm)) return 0;
  if (model_path.empty() || input_path.empty() || csim_path.empty()) throw UsageError("--model, --input and --csim are required");
  const emu::Model model = emu::load_model(model_path);
  const emu::ReferenceEvaluator reference(model);
  emu::EventTextReader inputs(input_path, emu::input_width(model));
  std::ifstream log(csim_path);
  if (!log) throw board::ConfigError(fmt::format("{}: cannot open", csim_path));
  std::vector<emu::ArraySpec> out_specs;
  for (std::size_t index : model.output_indices()) out_specs.push_back(model.array_spec(index));
  std::size_t width = 0;
  for (const auto& spec : out_specs) width += spec.size;

  std::size_t events = 0, values = 0, mismatches = 0, mismatched_events = 0;
  std::string first;
  std::vector<float> in;
  std::string line;
  std::size_t log_line = 0;
  while (inputs.next(in)) {
    do {
      if (!std::getline(log, line)) throw board::ConfigError(fmt::format("{}: ends before event {} of {}", csim_path, events + 1, input_path));
      ++log_line;
    } while (line.find_first_not_of(" \t\r") == std::string::npos);
    std::istringstream s(line);
    std::vector<double> printed;
    for (double v = 0; s >> v;) printed.push_back(v);
    if (!s.eof() || printed.size() != width) {
      throw board::ConfigError(fmt::format("{}:{}: expected {} numbers, one per model output value", csim_path, log_line, width));
    }
    const auto outs = reference.outputs(reference.evaluate(emu::input_codes(model, in)));
    std::size_t k = 0;
    bool event_bad = false;
    for (const auto& spec : out_specs) {
      for (std::size_t i = 0; i < spec.size; ++i, ++k) {
        const double ours = emu::to_double(outs[k], spec.type);
        ++values;
        if (std::fabs(ours - printed[k]) > six_digit_tolerance(printed[k])) {
          ++mismatches;
          event_bad = true;
          if (first.empty()) first = fmt::format("{}:{}: {}[{}] emulated {:.9g}, log {}", csim_path, log_line, spec.name, i, ours, printed[k]);
        }
      }
    }
    mismatched_events += event_bad ? 1 : 0;
    ++events;
  }
  if (vm.count("json")) {
    std::cout << nlohmann::json{{"events", events}, {"values", values}, {"mismatches", mismatches}, {"mismatched_events", mismatched_events}}.dump(1)
              << '\n';
  } else {
    fmt::print("verify csim: {} events, {} values, {} mismatches in {} events{}\n", events, values, mismatches, mismatched_events,
               first.empty() ? "" : " (first: " + first + ")");
  }
  return mismatches == 0 ? 0 : 1;
}

constexpr const char* kPatternsUsage =
    "usage: l1emu verify patterns --expected FILE... --actual FILE... [--format emp-v1|emp-v2|apx]\n\n"
    "Compares two captures frame by frame (pattern files in any supported format, detected from the\n"
    "first line unless --format is given; several files per side are one capture split in pieces).\n"
    "Links are matched by number; for each link the first differing frame is printed (data, valid,\n"
    "start/end of packet, start of orbit, strobe), as are links or frames present on one side only.\n"
    "Exit status 0 when the captures are identical, 1 otherwise.\n\n";

stream::LinkFrames read_capture(const std::vector<std::string>& files, const std::string& format) {
  std::vector<std::filesystem::path> paths(files.begin(), files.end());
  const std::string name = format.empty() ? stream::detect_pattern_format(paths.front()) : format;
  return stream::read_pattern_files(*stream::make_pattern_format(name), paths);
}

int run_patterns(const std::vector<std::string>& args) {
  std::vector<std::string> expected, actual;
  std::string format;
  po::options_description options("options");
  options.add_options()("help,h", "print this help")("expected", po::value(&expected)->multitoken(), "the reference capture")(
      "actual", po::value(&actual)->multitoken(), "the capture to check")("format", po::value(&format), "emp-v1, emp-v2 or apx (default: detected)");
  po::variables_map vm;
  if (!l1emu::app::parse_command_line(args, options, kPatternsUsage, vm)) return 0;
  if (expected.empty()) throw UsageError("--expected is required");
  if (actual.empty()) throw UsageError("--actual is required");
  const stream::LinkFrames want = read_capture(expected, format);
  const stream::LinkFrames got = read_capture(actual, format);
  const stream::FrameComparison c = stream::compare_frames(want, got);
  fmt::print("verify patterns: links compared: {}, frames compared: {}, links differing: {}\n", c.links_compared, c.frames_compared,
             c.differences.size());
  for (const auto& d : c.differences) {
    fmt::print("  link {:3} frame {:6}: {}: expected {}, actual {}\n", d.link, d.frame, d.what,
               d.expected ? stream::describe_frame(*d.expected) : std::string("nothing"),
               d.actual ? stream::describe_frame(*d.actual) : std::string("nothing"));
  }
  return c.identical() ? 0 : 1;
}

int run(const std::vector<std::string>& args) {
  if (args.empty() || args[0] == "--help" || args[0] == "-h") {
    std::cout << kUsage << kVerifyRtlUsage;
    return args.empty() ? 2 : 0;
  }
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  if (args[0] == "testvector") return run_testvector(rest);
  if (args[0] == "csim") return run_csim(rest);
  if (args[0] == "patterns") return run_patterns(rest);
  if (args[0] == "rtl") return run_verify_rtl(rest);
  throw UsageError("unknown verify target '" + args[0] + "' (expected testvector, csim, patterns or rtl)");
}

const CommandRegistrar registrar{{"verify", "compare with uGT test vectors (testvector), hls4ml C simulation (csim), captures (patterns) or the synthesized RTL (rtl)", &run}};

}  // namespace
}  // namespace l1emu::app
