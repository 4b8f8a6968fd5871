// l1emu merge: joins the output folders of a replay's shards (replay --shard I/N) into the outputs
// of a one-process run (board/shard_merge.h).
#include <boost/program_options.hpp>

#include <cstdio>
#include <string>
#include <vector>

#include "command.h"
#include "command_line.h"
#include "l1emu/board/shard_merge.h"

namespace po = boost::program_options;

namespace l1emu::app {
namespace {

constexpr const char* kUsage =
    "usage: l1emu merge SHARD_DIR... --output DIR\n\n"
    "Joins the output folders of the N shards of one replay (l1emu replay SCENARIO --shard I/N, I = 0..N-1) into\n"
    "DIR: decisions.h5 (and decisions.csv when the scenario writes it) with the rows in event order,\n"
    "summary.json and scenario.resolved.yaml, equal to the outputs of the same replay in one process (the\n"
    "summary's timings aside). Refused, with nothing written, unless every shard is given once, is complete\n"
    "and was replayed from the same scenario and --set values.\n\n";

int run(const std::vector<std::string>& args) {
  std::vector<std::string> shards;
  std::string output;
  po::options_description options("options");
  options.add_options()("help,h", "print this help")("shard-dir", po::value(&shards)->composing(), "a shard's output folder")(
      "output", po::value(&output), "the merged output folder");
  po::positional_options_description positional;
  positional.add("shard-dir", -1);
  po::variables_map vm;
  if (!parse_command_line(args, options, kUsage, vm, &positional)) return 0;
  if (shards.empty()) throw UsageError("at least one shard folder is required");
  if (output.empty()) throw UsageError("--output DIR is required");
  std::vector<std::filesystem::path> dirs(shards.begin(), shards.end());
  const board::MergeResult r = board::merge_shards(dirs, output);
  std::fputs(r.summary_text.c_str(), stdout);
  return 0;
}

const CommandRegistrar registrar{{"merge", "join the outputs of a replay's shards into one-process outputs", &run}};

}  // namespace
}  // namespace l1emu::app
