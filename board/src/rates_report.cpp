#include "l1emu/board/rates_report.h"

#include <fmt/format.h>
#include <fmt/ostream.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "l1emu/emu/io/atomic_file.h"

namespace l1emu::board {
namespace fs = std::filesystem;
namespace {

void write_text(const fs::path& path, const std::string& text) {
  emu::AtomicFile file(path);
  file.stream() << text;
  file.commit();
}

std::string hz(double v) {
  if (v >= 1e6) return fmt::format("{:.4g} MHz", v / 1e6);
  if (v >= 1e3) return fmt::format("{:.4g} kHz", v / 1e3);
  return fmt::format("{:.4g} Hz", v);
}

/// File-name-safe form of a signal name (names are validated by the command, this is belt and braces).
std::string safe(const std::string& name) {
  std::string s = name;
  for (char& c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_' || c == '.')) c = '_';
  return s;
}

std::string html_escape(const std::string& s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string base64(const std::string& bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 3; ++k)
      v = v << 8 | (k < n ? static_cast<std::uint8_t>(bytes[i + k]) : 0U);
    for (std::size_t k = 0; k < 4; ++k) out += k <= n ? kAlphabet[(v >> (18 - 6 * k)) & 63U] : '=';
  }
  return out;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (const char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace

void print_rates_table(std::ostream& out, const RatesResult& r, const Sample& background) {
  fmt::print(out, "background '{}': {} events from {} log(s); base rate {} ({})\n", background.name, r.events,
             background.logs.size(), hz(r.base_rate.hz), r.base_rate.description);
  fmt::print(out, "intervals: Clopper-Pearson, {:.2f} % confidence; pass: score code >= threshold\n",
             100 * kConfidenceLevel);
  fmt::print(out, "rate curve: {} points (codes {} .. {})\n", r.curve.points.size(), background.scores.min_code(),
             background.scores.max_code());
  auto signal_header = [&] {
    std::string h;
    for (const auto& s : r.signals) h += fmt::format("  {:>14}", "eff(" + s.name + ")");
    return h;
  };
  if (!r.targets.empty()) {
    fmt::print(out, "\n{:>14}  {:>12}  {:>12}  {:>27}{}\n", "target rate", "threshold", "rate", "interval",
               signal_header());
    for (std::size_t i = 0; i < r.targets.size(); ++i) {
      const auto& t = r.targets[i];
      fmt::print(out, "{:>14}  {:>12}  {:>12}  {:>27}", hz(t.target_rate_hz), t.threshold, hz(t.at.rate_hz),
                 fmt::format("[{}, {}]", hz(t.at.rate_lo_hz), hz(t.at.rate_hi_hz)));
      for (const auto& s : r.signals) fmt::print(out, "  {:>14.6f}", s.at_targets[i].efficiency);
      fmt::print(out, "\n");
    }
  }
  if (!r.at_thresholds.empty()) {
    fmt::print(out, "\n{:>14}  {:>12}  {:>12}  {:>27}{}\n", "threshold", "passed", "rate", "interval", signal_header());
    for (std::size_t i = 0; i < r.at_thresholds.size(); ++i) {
      const auto& p = r.at_thresholds[i];
      fmt::print(out, "{:>14}  {:>12}  {:>12}  {:>27}", p.threshold, p.passed, hz(p.rate_hz),
                 fmt::format("[{}, {}]", hz(p.rate_lo_hz), hz(p.rate_hi_hz)));
      for (const auto& s : r.signals) fmt::print(out, "  {:>14.6f}", s.at_thresholds[i].efficiency);
      fmt::print(out, "\n");
    }
  }
  if (!r.signals.empty()) {
    fmt::print(out, "\n{:>16}  {:>10}  {:>10}  {:>16}  {:>12}\n", "signal", "events", "AUC", "TPR@FPR<=1e-5", "threshold");
    for (const auto& s : r.signals) {
      fmt::print(out, "{:>16}  {:>10}  {:>10.6f}  {:>16.6f}  {:>12}{}\n", s.name, s.events, s.roc.auc,
                 s.roc.tpr_at_working_point, s.roc.working_point_threshold,
                 s.roc.limited ? "  (background < 1e5 events: FPR 0 point)" : "");
    }
  }
  if (!r.bits.bits.empty()) {
    // Rates before prescale (what the threshold passes; unique and overlaps are of these) and
    // after (what the bit adds to the menu's output), so a prescaled bit is not read at its raw rate.
    fmt::print(out, "\n{:>16}  {:>9}  {:>12}  {:>14}  {:>12}  overlap with", "bit", "prescale", "rate", "after prescale", "unique");
    for (const auto& b : r.bits.bits) fmt::print(out, "  {:>12}", b.name);
    fmt::print(out, "\n");
    for (const auto& b : r.bits.bits) {
      fmt::print(out, "{:>16}  {:>9}  {:>12}  {:>14}  {:>12}  {:12}", b.name, b.prescale, hz(b.passed.rate_hz),
                 b.after_prescale ? hz(b.after_prescale->rate_hz) : std::string("n/a"), hz(b.unique.rate_hz), "");
      for (const auto& o : b.overlap) fmt::print(out, "  {:>12}", hz(o.rate_hz));
      fmt::print(out, "\n");
    }
    fmt::print(out, "{:>16}  {:>9}  {:>12}\n", "any bit", "", hz(r.bits.any.rate_hz));
  }
}

std::string rates_json(const RatesResult& r) {
  using nlohmann::json;
  json doc;
  doc["base_rate_hz"] = r.base_rate.hz;
  doc["events"] = r.events;
  json curve = json::array();
  for (const auto& p : r.curve.points)
    curve.push_back({{"threshold", p.threshold}, {"passed", p.passed}, {"rate_hz", p.rate_hz},
                     {"rate_lo_hz", p.rate_lo_hz}, {"rate_hi_hz", p.rate_hi_hz}});
  doc["curve"] = std::move(curve);
  json targets = json::array();
  for (const auto& t : r.targets)
    targets.push_back({{"target_rate_hz", t.target_rate_hz}, {"threshold", t.threshold}, {"rate_hz", t.at.rate_hz}});
  doc["targets"] = std::move(targets);
  json signals = json::object();
  for (const auto& s : r.signals) {
    json eff = json::array();
    for (std::size_t i = 0; i < s.at_targets.size(); ++i)
      eff.push_back({{"target_rate_hz", r.targets[i].target_rate_hz}, {"threshold", s.at_targets[i].threshold},
                     {"efficiency", s.at_targets[i].efficiency}, {"efficiency_lo", s.at_targets[i].lo},
                     {"efficiency_hi", s.at_targets[i].hi}});
    signals[s.name] = {{"auc", s.roc.auc}, {"tpr_at_fpr_1e-5", s.roc.tpr_at_working_point},
                       {"efficiency_at_targets", std::move(eff)}};
  }
  doc["signals"] = std::move(signals);
  return doc.dump(2) + "\n";
}

std::vector<fs::path> write_rates_files(const fs::path& dir, const RatesResult& r, const Sample& background,
                                        const std::vector<Sample>& signals) {
  fs::create_directories(dir);
  std::vector<fs::path> written;
  auto put = [&](const std::string& name, const std::string& text) {
    write_text(dir / name, text);
    written.push_back(dir / name);
  };
  put("rates.json", rates_json(r));
  {
    std::string s = "threshold,passed,events,rate_hz,rate_lo_hz,rate_hi_hz\n";
    for (const auto& p : r.curve.points)
      s += fmt::format("{},{},{},{:.17g},{:.17g},{:.17g}\n", p.threshold, p.passed, r.events, p.rate_hz, p.rate_lo_hz,
                       p.rate_hi_hz);
    put("rate_curve.csv", s);
  }
  {
    std::string s = "target_rate_hz,threshold,passed,rate_hz,rate_lo_hz,rate_hi_hz\n";
    for (const auto& t : r.targets)
      s += fmt::format("{:.17g},{},{},{:.17g},{:.17g},{:.17g}\n", t.target_rate_hz, t.threshold, t.at.passed,
                       t.at.rate_hz, t.at.rate_lo_hz, t.at.rate_hi_hz);
    put("targets.csv", s);
  }
  if (!r.at_thresholds.empty()) {
    std::string s = "threshold,passed,rate_hz,rate_lo_hz,rate_hi_hz\n";
    for (const auto& p : r.at_thresholds)
      s += fmt::format("{},{},{:.17g},{:.17g},{:.17g}\n", p.threshold, p.passed, p.rate_hz, p.rate_lo_hz, p.rate_hi_hz);
    put("thresholds.csv", s);
  }
  if (!r.signals.empty()) {
    std::string s = "signal,events,auc,tpr_at_fpr_1e-5,working_point_threshold,kind,value,threshold,passed,efficiency,"
                    "efficiency_lo,efficiency_hi\n";
    for (const auto& sig : r.signals) {
      const std::string head = fmt::format("{},{},{:.17g},{:.17g},{}", csv_field(sig.name), sig.events, sig.roc.auc,
                                           sig.roc.tpr_at_working_point, sig.roc.working_point_threshold);
      auto row = [&](const char* kind, const std::string& value, const Efficiency& e) {
        s += fmt::format("{},{},{},{},{},{:.17g},{:.17g},{:.17g}\n", head, kind, value, e.threshold, e.passed,
                         e.efficiency, e.lo, e.hi);
      };
      for (std::size_t i = 0; i < sig.at_targets.size(); ++i)
        row("target_rate_hz", fmt::format("{:.17g}", r.targets[i].target_rate_hz), sig.at_targets[i]);
      for (std::size_t i = 0; i < sig.at_thresholds.size(); ++i)
        row("threshold", fmt::format("{}", r.at_thresholds[i].threshold), sig.at_thresholds[i]);
      if (sig.at_targets.empty() && sig.at_thresholds.empty()) s += head + ",,,,,,,\n";
      std::string roc = "threshold,fpr,tpr\n";
      for (const auto& p : sig.roc.points) roc += fmt::format("{},{:.17g},{:.17g}\n", p.threshold, p.fpr, p.tpr);
      put(fmt::format("roc_{}.csv", safe(sig.name)), roc);
    }
    put("signals.csv", s);
  }
  if (!r.bits.bits.empty()) {
    std::string s = "bit,other,kind,passed,rate_hz,rate_lo_hz,rate_hi_hz\n";
    auto row = [&](const std::string& bit, const std::string& other, const char* kind, const RatePoint& p) {
      s += fmt::format("{},{},{},{},{:.17g},{:.17g},{:.17g}\n", csv_field(bit), csv_field(other), kind, p.passed,
                       p.rate_hz, p.rate_lo_hz, p.rate_hi_hz);
    };
    for (const auto& b : r.bits.bits) {
      row(b.name, "", "passed", b.passed);
      if (b.after_prescale) row(b.name, "", "passed_after_prescale", *b.after_prescale);
      row(b.name, "", "unique", b.unique);
      for (std::size_t j = 0; j < b.overlap.size(); ++j)
        if (r.bits.bits[j].name != b.name) row(b.name, r.bits.bits[j].name, "overlap", b.overlap[j]);
    }
    row("any", "", "passed", r.bits.any);
    put("bits.csv", s);
  }
  {
    std::map<std::int64_t, std::vector<std::uint64_t>> table;
    const std::size_t columns = 1 + signals.size();
    auto add = [&](const Sample& sample, std::size_t column) {
      for (const auto& [code, n] : sample.scores.nonzero_bins()) {
        auto& row = table[code];
        row.resize(columns, 0);
        row[column] = n;
      }
    };
    add(background, 0);
    for (std::size_t i = 0; i < signals.size(); ++i) add(signals[i], i + 1);
    std::string s = "score_code," + csv_field(background.name);
    for (const auto& sig : signals) s += "," + csv_field(sig.name);
    s += "\n";
    for (auto& [code, row] : table) {
      row.resize(columns, 0);
      s += fmt::format("{},{}\n", code, fmt::join(row, ","));
    }
    put("score_histograms.csv", s);
  }
  return written;
}

std::optional<fs::path> find_gnuplot() {
  if (const char* env = std::getenv("L1EMU_GNUPLOT"); env != nullptr) {
    if (*env == '\0') return std::nullopt;
    return fs::exists(env) ? std::optional<fs::path>(env) : std::nullopt;
  }
  const char* path = std::getenv("PATH");
  if (path == nullptr) return std::nullopt;
  std::stringstream dirs(path);
  std::string d;
  while (std::getline(dirs, d, ':')) {
    if (d.empty()) continue;
    const fs::path candidate = fs::path(d) / "gnuplot";
    std::error_code ec;
    if (fs::is_regular_file(candidate, ec)) return candidate;
  }
  return std::nullopt;
}

namespace {

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (const char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

std::string gp_string(const std::string& s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

/// Writes one plot in both formats (noenhanced: signal names with '_' or '@' are printed as written): `body` is the gnuplot commands after the terminal set-up.
void plot_both(std::string& script, const fs::path& dir, const std::string& stem, const std::string& body) {
  script += fmt::format("set terminal pngcairo size 960,640 noenhanced font 'sans,11'\nset output {}\n{}\n",
                        gp_string((dir / (stem + ".png")).string()), body);
  script += fmt::format("set terminal svg size 960,640 noenhanced font 'sans,11' background '#ffffff'\nset output {}\n{}\nunset output\nreset\n",
                        gp_string((dir / (stem + ".svg")).string()), body);
}

}  // namespace

PlotOutcome write_rates_plots(const fs::path& dir, const RatesResult& r, const Sample& background,
                              const std::vector<Sample>& signals, const std::optional<fs::path>& gnuplot) {
  PlotOutcome outcome;
  if (!gnuplot) {
    outcome.warning = "gnuplot not found (install gnuplot-nox, or set L1EMU_GNUPLOT): plots skipped";
    return outcome;
  }
  const fs::path plots = dir / "plots";
  fs::create_directories(plots);
  const std::string data = (plots / "data").string();
  fs::create_directories(data);

  // Rate vs threshold: log y, zero rates left out (they have no place on a log axis).
  {
    std::string s;
    for (const auto& p : r.curve.points)
      if (p.rate_hz > 0) s += fmt::format("{} {:.9g} {:.9g} {:.9g}\n", p.threshold, p.rate_hz, p.rate_lo_hz, p.rate_hi_hz);
    write_text(plots / "data" / "rate_curve.dat", s);
  }
  std::string script;
  {
    std::string body = fmt::format(
        "set title {}\nset xlabel 'threshold (score code; pass: code >= T)'\nset ylabel 'rate [Hz]'\nset logscale y\nset format y '%.0e'\n"
        "set grid\nset key top right\n",
        gp_string(fmt::format("Background rate vs threshold (base rate {}, {} events)", hz(r.base_rate.hz), r.events)));
    std::string plot = fmt::format("plot {} using 1:3:4 with filledcurves lc rgb '#c6dbef' title '{:.2f} % Clopper-Pearson', "
                                   "'' using 1:2 with steps lw 2 lc rgb '#08519c' title 'rate'",
                                   gp_string(data + "/rate_curve.dat"), 100 * kConfidenceLevel);
    for (std::size_t i = 0; i < r.targets.size(); ++i)
      plot += fmt::format(", {:.9g} with lines dt 2 lc rgb '#d62728' title {}", r.targets[i].target_rate_hz,
                          gp_string(fmt::format("target {} -> T = {}", hz(r.targets[i].target_rate_hz), r.targets[i].threshold)));
    plot_both(script, plots, "rate_vs_threshold", body + plot);
  }
  // ROC per signal: log x (FPR) down to the working point region.
  if (!r.signals.empty()) {
    std::string plot = "plot ";
    for (std::size_t i = 0; i < r.signals.size(); ++i) {
      const auto& sig = r.signals[i];
      std::string s;
      for (const auto& p : sig.roc.points)
        if (p.fpr > 0) s += fmt::format("{:.12g} {:.12g}\n", p.fpr, p.tpr);
      const std::string file = data + "/roc_" + safe(sig.name) + ".dat";
      write_text(file, s);
      plot += fmt::format("{}{} using 1:2 with steps lw 2 title {}", i == 0 ? "" : ", ", gp_string(file),
                          gp_string(fmt::format("{} (AUC {:.4f}, TPR at FPR 1e-5: {:.4f})", sig.name, sig.roc.auc,
                                                sig.roc.tpr_at_working_point)));
    }
    const double min_fpr = 1.0 / static_cast<double>(r.events);
    plot += ", x with lines dt 3 lc rgb '#7f7f7f' title 'random'";
    std::string body = fmt::format(
        "set title 'ROC: signal efficiency vs background pass fraction'\nset xlabel 'FPR (background fraction passing)'\n"
        "set ylabel 'TPR (signal efficiency)'\nset logscale x\nset format x '%.0e'\nset xrange [{:.3g}:1]\nset yrange [0:1.02]\nset grid\n"
        "set key bottom right\nset arrow from 1e-5, graph 0 to 1e-5, graph 1 nohead dt 2 lc rgb '#d62728'\n",
        std::min(min_fpr * 0.5, 1e-6));
    plot_both(script, plots, "roc", body + plot);
  }
  // Score distributions, each sample normalised to unit area, in at most 100 bins over the common range.
  {
    std::int64_t lo = background.scores.min_code(), hi = background.scores.max_code();
    for (const auto& s : signals) {
      lo = std::min(lo, s.scores.min_code());
      hi = std::max(hi, s.scores.max_code());
    }
    const std::int64_t width = std::max<std::int64_t>(1, (hi - lo + 100) / 100);
    const std::size_t nbins = static_cast<std::size_t>((hi - lo) / width + 1);
    std::vector<const Sample*> samples{&background};
    for (const auto& s : signals) samples.push_back(&s);
    std::vector<std::vector<double>> fraction(samples.size(), std::vector<double>(nbins, 0.0));
    for (std::size_t k = 0; k < samples.size(); ++k)
      for (const auto& [code, n] : samples[k]->scores.nonzero_bins())
        fraction[k][static_cast<std::size_t>((code - lo) / width)] +=
            static_cast<double>(n) / static_cast<double>(samples[k]->scores.total());
    std::string s;
    for (std::size_t b = 0; b < nbins; ++b) {
      s += fmt::format("{}", lo + static_cast<std::int64_t>(b) * width);
      for (std::size_t k = 0; k < samples.size(); ++k) s += fmt::format(" {:.9g}", fraction[k][b]);
      s += "\n";
    }
    const std::string file = data + "/score_distributions.dat";
    write_text(file, s);
    std::string plot = "plot ";
    for (std::size_t k = 0; k < samples.size(); ++k)
      plot += fmt::format("{}{} using 1:(${}>0?${}:1/0) with steps lw 2 title {}", k == 0 ? "" : ", ", gp_string(file),
                          k + 2, k + 2, gp_string(k == 0 && samples[k]->name != "background" ? samples[k]->name + " (background)" : samples[k]->name));
    std::string body = fmt::format(
        "set title 'Score distributions (each normalised to 1; bins of {} code{})'\nset xlabel 'score code'\n"
        "set ylabel 'fraction of events'\nset logscale y\nset format y '%.0e'\nset grid\nset key top right\n",
        width, width == 1 ? "" : "s");
    for (const auto& t : r.targets)
      body += fmt::format("set arrow from {}, graph 0 to {}, graph 1 nohead dt 2 lc rgb '#d62728'\n", t.threshold, t.threshold);
    plot_both(script, plots, "score_distributions", body + plot);
  }
  const fs::path script_path = plots / "plots.gp";
  write_text(script_path, script);
  const fs::path log = plots / "gnuplot.log";
  const std::string command = shell_quote(gnuplot->string()) + " " + shell_quote(script_path.string()) + " > " +
                              shell_quote(log.string()) + " 2>&1";
  const int status = std::system(command.c_str());
  if (status != 0) {
    outcome.warning = fmt::format("gnuplot failed (status {}; see {}): plots may be incomplete", status, log.string());
  }
  for (const char* stem : {"rate_vs_threshold", "roc", "score_distributions"})
    for (const char* ext : {".png", ".svg"})
      if (const fs::path p = plots / (std::string(stem) + ext); fs::exists(p)) outcome.files.push_back(p);
  return outcome;
}

fs::path write_rates_report(const fs::path& dir, const RatesResult& r, const Sample& background,
                            const std::vector<Sample>& signals, const PlotOutcome& plots) {
  std::string h;
  h += "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>l1emu rates</title>\n<style>body{font-family:sans-serif;"
       "max-width:1000px;margin:auto}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px "
       "8px;text-align:right}th{background:#eee}</style></head><body>\n";
  h += "<h1>l1emu trigger rates</h1>\n";
  h += fmt::format("<p>Background <b>{}</b>: {} events from {} log(s) ({}). Base rate {} ({}).</p>\n",
                   html_escape(background.name), r.events, background.logs.size(),
                   html_escape([&] {
                     std::string s;
                     for (const auto& l : background.logs) s += (s.empty() ? "" : ", ") + l.string();
                     return s;
                   }()), hz(r.base_rate.hz),
                   html_escape(r.base_rate.description));
  if (!background.metadata.model.empty() || !background.metadata.scenario.empty())
    h += fmt::format("<p>Model {}, scenario {}.</p>\n", html_escape(background.metadata.model),
                     html_escape(background.metadata.scenario));
  h += fmt::format(
      "<p>Definitions: an event passes threshold T when its score code &gt;= T; rate(T) = base rate &times; passed / "
      "events; the threshold for a target rate is the smallest integer T whose rate does not exceed the target. "
      "Intervals are Clopper-Pearson at {:.2f} % confidence. AUC = P(s &gt; b) + 0.5 P(s = b); TPR at FPR = 1e-5 is "
      "the signal efficiency at the smallest T whose background fraction is &lt;= 1e-5.</p>\n",
      100 * kConfidenceLevel);
  if (!r.targets.empty()) {
    h += "<h2>Thresholds for target rates</h2>\n<table><tr><th>target</th><th>threshold</th><th>passed</th><th>rate</th><th>interval</th>";
    for (const auto& s : r.signals) h += "<th>eff(" + html_escape(s.name) + ")</th>";
    h += "</tr>\n";
    for (std::size_t i = 0; i < r.targets.size(); ++i) {
      const auto& t = r.targets[i];
      h += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>[{}, {}]</td>", hz(t.target_rate_hz),
                       t.threshold, t.at.passed, hz(t.at.rate_hz), hz(t.at.rate_lo_hz), hz(t.at.rate_hi_hz));
      for (const auto& s : r.signals)
        h += fmt::format("<td>{:.5f} [{:.5f}, {:.5f}]</td>", s.at_targets[i].efficiency, s.at_targets[i].lo, s.at_targets[i].hi);
      h += "</tr>\n";
    }
    h += "</table>\n";
  }
  if (!r.at_thresholds.empty()) {
    h += "<h2>Rates at given thresholds</h2>\n<table><tr><th>threshold</th><th>passed</th><th>rate</th><th>interval</th>";
    for (const auto& s : r.signals) h += "<th>eff(" + html_escape(s.name) + ")</th>";
    h += "</tr>\n";
    for (std::size_t i = 0; i < r.at_thresholds.size(); ++i) {
      const auto& p = r.at_thresholds[i];
      h += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>[{}, {}]</td>", p.threshold, p.passed, hz(p.rate_hz),
                       hz(p.rate_lo_hz), hz(p.rate_hi_hz));
      for (const auto& s : r.signals) h += fmt::format("<td>{:.5f}</td>", s.at_thresholds[i].efficiency);
      h += "</tr>\n";
    }
    h += "</table>\n";
  }
  if (!r.signals.empty()) {
    h += "<h2>Signals</h2>\n<table><tr><th>signal</th><th>events</th><th>AUC</th><th>TPR at FPR = 1e-5</th><th>threshold</th></tr>\n";
    for (const auto& s : r.signals)
      h += fmt::format("<tr><td>{}</td><td>{}</td><td>{:.6f}</td><td>{:.6f}{}</td><td>{}</td></tr>\n", html_escape(s.name),
                       s.events, s.roc.auc, s.roc.tpr_at_working_point,
                       s.roc.limited ? " (background &lt; 1e5 events)" : "", s.roc.working_point_threshold);
    h += "</table>\n";
  }
  if (!r.bits.bits.empty()) {
    h += "<h2>Algorithm bits</h2>\n<table><tr><th>bit</th><th>prescale</th><th>rate</th><th>after prescale</th><th>unique</th>";
    for (const auto& b : r.bits.bits) h += "<th>&amp; " + html_escape(b.name) + "</th>";
    h += "</tr>\n";
    for (const auto& b : r.bits.bits) {
      h += fmt::format("<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>", html_escape(b.name), b.prescale, hz(b.passed.rate_hz),
                       b.after_prescale ? hz(b.after_prescale->rate_hz) : std::string("n/a"), hz(b.unique.rate_hz));
      for (const auto& o : b.overlap) h += fmt::format("<td>{}</td>", hz(o.rate_hz));
      h += "</tr>\n";
    }
    h += fmt::format("<tr><td>any</td><td></td><td>{}</td></tr>\n</table>\n", hz(r.bits.any.rate_hz));
  }
  h += "<h2>Plots</h2>\n";
  if (!plots.warning.empty()) h += "<p><b>" + html_escape(plots.warning) + "</b></p>\n";
  // PNGs embedded as data URIs keep the report one file that any browser shows; the SVGs sit beside it.
  for (const auto& p : plots.files) {
    if (p.extension() != ".png") continue;
    std::ifstream in(p, std::ios::binary);
    std::stringstream png;
    png << in.rdbuf();
    h += fmt::format("<p><img alt=\"{}\" src=\"data:image/png;base64,{}\"><br>{} (also {})</p>\n",
                     html_escape(p.stem().string()), base64(png.str()), html_escape(p.filename().string()),
                     html_escape(p.stem().string() + ".svg"));
  }
  h += fmt::format("<p>Samples: {}{}.</p>\n", html_escape(background.name), [&] {
    std::string s;
    for (const auto& sig : signals) s += ", " + html_escape(sig.name) + " (" + std::to_string(sig.scores.total()) + " events)";
    return s;
  }());
  h += "</body></html>\n";
  const fs::path path = dir / "report.html";
  write_text(path, h);
  return path;
}

}  // namespace l1emu::board
