// l1emu replay: runs a scenario through the simulated board and writes the decision log.
#include <boost/program_options.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "command.h"
#include "command_line.h"
#include "mpi_ranks.h"
#include "l1emu/board/replay.h"
#include "l1emu/board/error.h"
#include "l1emu/board/scenario.h"
#include "l1emu/board/shard.h"

namespace po = boost::program_options;

namespace l1emu::app {
namespace {

constexpr const char* kUsage =
    "usage: l1emu replay SCENARIO.yaml [--set key=value]... [--output DIR] [--events N] [--threads N]\n"
    "                    [--engine compiled|reference] [--resume] [--shard I/N] [--checkpoint-seconds S]\n\n"
    "Replays the scenario's events (generator, dataset or test vector) through the links, the bit-exact\n"
    "model inside the cycle-level pipeline of the board, and the menu. Writes to the output folder\n"
    "(default: output.dir of the scenario, else out/<name>): decisions.h5 (the decision log), decisions.csv,\n"
    "summary.json and scenario.resolved.yaml (the scenario with every override and default). Progress lines\n"
    "go to standard error, the summary to standard output. Ctrl-C (SIGINT) or SIGTERM (what batch systems\n"
    "send) stops after the current batch and leaves complete outputs for the events done (exit 130 or 143);\n"
    "--resume continues from there with the same scenario. After SIGKILL or a power loss, --resume continues from\n"
    "the last commit point (decisions.journal and decisions.checkpoint, made every --checkpoint-seconds, default 1;\n"
    "0: after every batch of 8192 events): what was committed is never lost, and the result equals an\n"
    "uninterrupted run.\n"
    "--set takes a key path of the scenario (board.clock_mhz=240, menu.bits.0.threshold=100).\n"
    "--engine reference evaluates the model with the reference evaluator (the specification; slow)\n"
    "instead of the compiled plan: the outputs are identical.\n"
    "--shard I/N replays only shard I (0 .. N-1) of N contiguous ranges of the scenario's events (batch farms);\n"
    "its rows keep their global event index, and `l1emu merge` joins the N shards' folders into the outputs of\n"
    "a one-process run.\n\n";

std::atomic<bool> g_stop{false};
std::atomic<int> g_stop_signal{0};

// SIGTERM is what batch systems and `kill` send before SIGKILL: handled like Ctrl-C, so a job
// stopped by its scheduler leaves complete outputs that --resume continues.
extern "C" void on_stop_signal(int signal) {
  g_stop_signal.store(signal);
  g_stop.store(true);
}

int run(const std::vector<std::string>& args) {
  std::string scenario_path, output;
  std::vector<std::string> sets;
  std::uint64_t events = 0;
  int threads = 0;
  std::string engine = "compiled";
  std::string shard;
  double checkpoint_seconds = 1.0;
  po::options_description options("options");
  options.add_options()("help,h", "print this help")("scenario", po::value(&scenario_path), "scenario YAML file")(
      "set", po::value(&sets)->composing(), "override a scenario key: key.path=value (repeatable)")(
      "output", po::value(&output), "output folder")("events", po::value(&events), "stop after N events")(
      "threads", po::value(&threads), "worker threads (default: the scenario's, else all cores)")(
      "engine", po::value(&engine), "compiled (default) or reference: the evaluator of the model (same results)")(
      "resume", "continue an interrupted replay in the output folder")(
      "shard", po::value(&shard), "I/N: replay shard I (from 0) of N; join the shards with l1emu merge")("quiet", "no progress lines")(
      "checkpoint-seconds", po::value(&checkpoint_seconds), "seconds between commit points (what SIGKILL can lose; 0: every batch)");
  po::positional_options_description positional;
  positional.add("scenario", 1);
  po::variables_map vm;
  if (!l1emu::app::parse_command_line(args, options, kUsage, vm, &positional)) return 0;
  if (scenario_path.empty()) throw UsageError("a scenario file is required");
  if (threads < 0) throw UsageError("--threads must be at least 1");
  if (!(checkpoint_seconds >= 0.0 && checkpoint_seconds <= 86400.0)) throw UsageError("--checkpoint-seconds must be between 0 and 86400");
  if (engine != "compiled" && engine != "reference") throw UsageError("unknown engine '" + engine + "' (compiled or reference)");
  std::vector<std::string> overrides = sets;
  if (!output.empty()) overrides.push_back("output.dir=" + output);
  const board::Scenario scenario = board::load_scenario(scenario_path, overrides);

  board::ReplayOptions opt;
  opt.max_events = events;
  opt.threads = threads;
  opt.engine = engine;
  opt.resume = vm.count("resume") > 0;
  opt.checkpoint_seconds = checkpoint_seconds;
  if (!shard.empty()) {
    try {
      opt.shard = board::parse_shard(shard);
    } catch (const board::ConfigError& e) {
      throw UsageError(e.what());
    }
  }
  opt.stop = &g_stop;
  if (!vm.count("quiet")) opt.progress = [](const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); };
  const int ranks = launched_ranks();
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
  if (ranks > 1) {
    const RankedReplay r = run_ranked_replay(scenario, opt);
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    if (r.printer) std::fputs(r.summary_text.c_str(), stdout);
    if (r.complete) return 0;
    return g_stop_signal.load() == SIGTERM ? 128 + SIGTERM : 128 + SIGINT;
  }
  const board::ReplayResult r = board::run_replay(scenario, opt);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
  std::fputs(r.summary_text.c_str(), stdout);
  // 128 + the signal (shell convention: 130 SIGINT, 143 SIGTERM), outputs
  // complete for the events done.
  if (r.complete) return 0;
  return g_stop_signal.load() == SIGTERM ? 128 + SIGTERM : 128 + SIGINT;
}

const CommandRegistrar registrar{{"replay", "replay a scenario through the simulated trigger board", &run}};

}  // namespace
}  // namespace l1emu::app
