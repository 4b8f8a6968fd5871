// l1emu rates: trigger rates vs threshold, thresholds for target rates, signal efficiency, ROC/AUC,
// bit overlaps, from decision logs (board/rates_analysis.h, board/rates_report.h).
#include <fmt/format.h>

// GCC 12 at -O2 flags a possible null dereference inside Boost.program_options'
// typed_value<std::string>::notify (basic_string::assign, inlined); the pattern is Boost's, not ours.
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <boost/program_options.hpp>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "command.h"
#include "command_line.h"
#include "l1emu/board/rates_analysis.h"
#include "l1emu/board/rates_report.h"

namespace {

namespace po = boost::program_options;
namespace board = l1emu::board;
using l1emu::app::UsageError;

constexpr const char* kUsage =
    "usage: l1emu rates --background LOG [--background LOG]... [--signal NAME=LOG]...\n"
    "                   [--target-rate RATE]... [--threshold T]... [--base-rate SPEC] [--output DIR]\n"
    "                   [--efficiency-of NAME]...\n\n"
    "Trigger rates of an anomaly-detection score from decision logs written by 'l1emu replay'\n"
    "(LOG: a decisions.h5 file or the replay output directory holding it). Repeat --background or\n"
    "--signal NAME=... to merge several logs (files, shards) into one sample; counts add up exactly.\n\n"
    "Definitions:\n"
    "  pass        an event passes threshold T when its score code >= T.\n"
    "  rate(T)     base rate x (passing events / events), over the background sample.\n"
    "  base rate   --base-rate zero-bias (default): f_orbit (11245.5 Hz) x colliding bunches, from the\n"
    "              log's colliding_bunches or filling_scheme attribute (each logged event is one\n"
    "              colliding bunch crossing); or a given input rate for pre-filtered samples, a number\n"
    "              with unit Hz, kHz, MHz or GHz (40MHz, 2.5kHz, 1.2e3Hz).\n"
    "  threshold for a target rate\n"
    "              the smallest integer score code T whose rate does not exceed the target (so the\n"
    "              rate at T-1 exceeds it). A target not below the base rate is an error.\n"
    "  intervals   Clopper-Pearson central intervals at 68.27 % confidence on every rate and efficiency.\n"
    "  efficiency  signal events passing T / signal events, at each target's threshold and --threshold.\n"
    "  ROC, AUC    TPR(T) = signal fraction passing, FPR(T) = background fraction passing, over every\n"
    "              distinct code; AUC = P(s > b) + 0.5 P(s = b) (Mann-Whitney, ties counted half),\n"
    "              exact from the score histograms.\n"
    "  TPR at FPR = 1e-5\n"
    "              the TPR at the smallest integer T whose background fraction passing is <= 1e-5\n"
    "              (no interpolation). With fewer than 1e5 background events that T is above every\n"
    "              background code (FPR 0), which the output flags.\n"
    "  bits        per algorithm bit of the menu: rate, unique rate (no other bit set), overlap rate\n"
    "              with each other bit (both set), and the rate of any bit.\n\n"
    "Output: a table on stdout; with --output DIR also DIR/rates.json, CSV files, plots (PNG and SVG\n"
    "through gnuplot, skipped with a warning without it; $L1EMU_GNUPLOT overrides the program) and the\n"
    "self-contained report DIR/report.html.\n\n";

/// Signal names become file names and JSON keys: keep them plain.
bool valid_name(const std::string& name) {
  return !name.empty() && name.size() <= 64 && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.';
  });
}

int run(const std::vector<std::string>& args) {
  po::options_description options("options");
  options.add_options()
      ("help,h", "print this help")
      ("background", po::value<std::vector<std::string>>()->composing(), "background decision log (repeat to merge logs)")
      ("signal", po::value<std::vector<std::string>>()->composing(),
       "NAME=LOG: a signal sample; repeat with the same NAME to merge logs. NAME: letters, digits, _ - .")
      ("target-rate", po::value<std::vector<std::string>>()->composing(), "target rate with unit, e.g. 1kHz (repeatable)")
      ("threshold", po::value<std::vector<std::int64_t>>()->composing(), "score-code threshold to report (repeatable; negative as --threshold=-5)")
      ("base-rate", po::value<std::string>()->default_value("zero-bias"), "zero-bias or a rate with unit, e.g. 40MHz")
      ("output", po::value<std::string>(), "directory for rates.json, CSV files, plots and report.html")
      ("efficiency-of", po::value<std::vector<std::string>>()->composing(),
       "report efficiency, ROC and AUC only for these signals (names given with --signal; default: all)");
  po::variables_map vm;
  if (!l1emu::app::parse_command_line(args, options, kUsage, vm)) return 0;
  if (vm.count("background") == 0U) throw UsageError("--background is required");

  board::RatesConfig config;
  try {
    config.base_rate = board::parse_base_rate(vm["base-rate"].as<std::string>());
    if (vm.count("target-rate") != 0U)
      for (const auto& t : vm["target-rate"].as<std::vector<std::string>>())
        config.target_rates_hz.push_back(board::parse_rate_hz(t));
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what());
  }
  if (vm.count("threshold") != 0U) config.thresholds = vm["threshold"].as<std::vector<std::int64_t>>();

  // Signals in the order first named; several logs per name form one sample.
  std::vector<std::string> signal_order;
  std::map<std::string, std::vector<std::filesystem::path>> signal_logs;
  if (vm.count("signal") != 0U) {
    for (const auto& spec : vm["signal"].as<std::vector<std::string>>()) {
      const auto eq = spec.find('=');
      if (eq == std::string::npos || eq + 1 == spec.size())
        throw UsageError(fmt::format("--signal '{}': expected NAME=LOG", spec));
      const std::string name = spec.substr(0, eq);
      if (!valid_name(name))
        throw UsageError(fmt::format("--signal '{}': signal name '{}' must be 1-64 letters, digits, '_', '-' or '.'", spec, name));
      if (!signal_logs.contains(name)) signal_order.push_back(name);
      signal_logs[name].emplace_back(spec.substr(eq + 1));
    }
  }
  if (vm.count("efficiency-of") != 0U) {
    std::vector<std::string> selected;
    for (const auto& name : vm["efficiency-of"].as<std::vector<std::string>>()) {
      if (!signal_logs.contains(name)) {
        std::string known;
        for (const auto& n : signal_order) known += (known.empty() ? "" : ", ") + n;
        throw UsageError(fmt::format("--efficiency-of '{}': unknown signal name (signals given with --signal: {})", name,
                                     known.empty() ? "none" : known));
      }
      if (std::find(selected.begin(), selected.end(), name) == selected.end()) selected.push_back(name);
    }
    signal_order = selected;
  }

  std::vector<std::filesystem::path> background_logs;
  for (const auto& b : vm["background"].as<std::vector<std::string>>()) background_logs.emplace_back(b);
  const board::Sample background = board::load_sample("background", background_logs);
  std::vector<board::Sample> signals;
  for (const auto& name : signal_order) signals.push_back(board::load_sample(name, signal_logs.at(name)));

  const board::RatesResult result = board::compute_rates(background, signals, config);
  board::print_rates_table(std::cout, result, background);
  if (vm.count("output") != 0U) {
    const std::filesystem::path dir = vm["output"].as<std::string>();
    const auto files = board::write_rates_files(dir, result, background, signals);
    const board::PlotOutcome plots = board::write_rates_plots(dir, result, background, signals, board::find_gnuplot());
    if (!plots.warning.empty()) std::cerr << "l1emu rates: warning: " << plots.warning << "\n";
    const auto report = board::write_rates_report(dir, result, background, signals, plots);
    fmt::print("\nwrote {} data files, {} plots and {} in {}\n", files.size(), plots.files.size(),
               report.filename().string(), dir.string());
  }
  return 0;
}

const l1emu::app::CommandRegistrar registrar{
    {"rates", "trigger rates vs threshold, thresholds for target rates, signal efficiency and ROC from decision logs", &run}};

}  // namespace
