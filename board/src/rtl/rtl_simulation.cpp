#include "l1emu/board/rtl/rtl_simulation.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fmt/format.h>

#include "l1emu/board/error.h"
#include "shell_quote.h"

namespace l1emu::board {
namespace {

namespace fs = std::filesystem;
using detail::shell_quote;

template <class T>
std::vector<T> read_binary(const fs::path& p, std::size_t count) {
  std::vector<T> v(count);
  std::ifstream in(p, std::ios::binary);
  if (!in.read(reinterpret_cast<char*>(v.data()), static_cast<std::streamsize>(count * sizeof(T)))) {
    throw BoardError(p.string() + ": the RTL simulation wrote fewer results than expected");
  }
  return v;
}

CycleStats stats(const std::vector<long long>& v) {
  CycleStats s;
  s.samples = v.size();
  if (v.empty()) return s;
  s.min = *std::min_element(v.begin(), v.end());
  s.max = *std::max_element(v.begin(), v.end());
  long double sum = 0;
  for (long long x : v) sum += x;
  s.mean = static_cast<double>(sum / static_cast<long double>(v.size()));
  return s;
}

}  // namespace

RtlRun run_rtl_simulation(const fs::path& executable, const fs::path& rtl_dir, const std::vector<std::uint64_t>& inputs, std::size_t events,
                          std::size_t output_values, const RtlRunOptions& options, const fs::path& scratch) {
  fs::create_directories(scratch);
  const fs::path in = scratch / "inputs.bin", out = scratch / "outputs.bin", timing = scratch / "timing.bin", log = scratch / "simulation.log";
  {
    std::ofstream f(in, std::ios::binary);
    f.write(reinterpret_cast<const char*>(inputs.data()), static_cast<std::streamsize>(inputs.size() * sizeof(std::uint64_t)));
    if (!f) throw BoardError(in.string() + ": cannot write");
  }
  const int mode = options.mode == RtlMode::stream ? 0 : options.mode == RtlMode::single ? 1 : 2;
  // The working directory is the RTL folder: Vivado's ROMs read "./<name>_rom.dat". Progress goes
  // to the terminal (stderr); the program's stdout (Verilator's messages, $display) to the log.
  const std::string command = fmt::format("cd {} && {} {} {} {} {} {} {} {} > {}", shell_quote(fs::absolute(rtl_dir).string()),
                                          shell_quote(fs::absolute(executable).string()), shell_quote(fs::absolute(in).string()),
                                          shell_quote(fs::absolute(out).string()), shell_quote(fs::absolute(timing).string()), events, mode,
                                          options.latency, options.ii, shell_quote(fs::absolute(log).string()));
  const auto t0 = std::chrono::steady_clock::now();
  const int status = std::system(command.c_str());
  RtlRun run;
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::ifstream l(log);
  std::string messages, line;
  bool warned = false;
  while (std::getline(l, line)) {
    if (line.rfind("cycles ", 0) == 0) continue;
    warned = warned || line.find("%Warning") != std::string::npos || line.find("%Error") != std::string::npos;
    messages += "  " + line + "\n";
  }
  if (status != 0 || warned) {
    throw BoardError(fmt::format("the RTL simulation of {} failed (status {}){}", rtl_dir.string(), status,
                                 messages.empty() ? std::string(" (its messages are above)") : ":\n" + messages));
  }
  run.outputs = read_binary<std::uint64_t>(out, events * output_values);
  const auto t = read_binary<long long>(timing, events * 4);
  run.timing.resize(events);
  for (std::size_t k = 0; k < events; ++k) run.timing[k] = {t[4 * k], t[4 * k + 1], t[4 * k + 2], t[4 * k + 3] != 0};
  return run;
}

RtlTimingSummary summarize_timing(const std::vector<RtlEventTiming>& timing) {
  std::vector<long long> latency, ii;
  for (std::size_t k = 0; k < timing.size(); ++k) {
    latency.push_back(timing[k].done - timing[k].presented);
    if (k > 0 && timing[k].back_to_back) ii.push_back(timing[k].accepted - timing[k - 1].accepted);
  }
  RtlTimingSummary s;
  s.latency = stats(latency);
  if (!ii.empty()) s.ii = stats(ii);
  return s;
}

}  // namespace l1emu::board
