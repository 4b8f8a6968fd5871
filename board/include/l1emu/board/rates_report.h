#pragma once
// Outputs of the rates analysis (issue 7): a table on stdout, CSV files, DIR/rates.json, plots through
// gnuplot (PNG and SVG; skipped with a warning when gnuplot is absent) and a self-contained HTML
// report (tables plus the SVG plots inline, no external files needed to view it).
//
// rates.json has exactly the keys of the issue:
//   base_rate_hz, events,
//   curve:   [{threshold, passed, rate_hz, rate_lo_hz, rate_hi_hz}]  one per distinct code and --threshold,
//   targets: [{target_rate_hz, threshold, rate_hz}],
//   signals: {name: {auc, "tpr_at_fpr_1e-5", efficiency_at_targets: [{target_rate_hz, threshold,
//             efficiency, efficiency_lo, efficiency_hi}]}}.
// Files are written atomically (emu/io/atomic_file.h).
#include <filesystem>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "l1emu/board/rates_analysis.h"

namespace l1emu::board {

void print_rates_table(std::ostream& out, const RatesResult& result, const Sample& background);

/// The rates.json document (pretty-printed).
[[nodiscard]] std::string rates_json(const RatesResult& result);

/// rates.json and the CSV files (rate_curve.csv, targets.csv, thresholds.csv, signals.csv,
/// roc_<signal>.csv, bits.csv when the menu has bits, score_histograms.csv); returns the paths written.
std::vector<std::filesystem::path> write_rates_files(const std::filesystem::path& dir, const RatesResult& result,
                                                     const Sample& background, const std::vector<Sample>& signals);

/// The gnuplot to run: $L1EMU_GNUPLOT when set (empty means none), else `gnuplot` found on PATH.
[[nodiscard]] std::optional<std::filesystem::path> find_gnuplot();

struct PlotOutcome {
  std::vector<std::filesystem::path> files;  // PNG and SVG written
  std::string warning;                       // non-empty when plots were skipped or failed
};

/// rate_vs_threshold, roc (one curve per signal), score_distributions, each as .png and .svg in DIR/plots.
PlotOutcome write_rates_plots(const std::filesystem::path& dir, const RatesResult& result, const Sample& background,
                              const std::vector<Sample>& signals, const std::optional<std::filesystem::path>& gnuplot);

/// DIR/report.html; returns its path.
std::filesystem::path write_rates_report(const std::filesystem::path& dir, const RatesResult& result,
                                         const Sample& background, const std::vector<Sample>& signals,
                                         const PlotOutcome& plots);

}  // namespace l1emu::board
