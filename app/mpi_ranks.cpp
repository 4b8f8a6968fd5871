#include "mpi_ranks.h"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "command.h"
#include <chrono>
#include <optional>

#include <fmt/format.h>

#include "l1emu/board/decision_log_format.h"
#include "l1emu/board/shard_merge.h"

#ifdef L1EMU_WITH_MPI
#include <boost/mpi/collectives.hpp>
#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>

#include "mpi_progress.h"
#endif

namespace l1emu::app {
namespace fs = std::filesystem;

#ifdef L1EMU_WITH_MPI

namespace {
boost::mpi::environment& environment() {
  // Initialised once, on the first call (a replay under mpirun), finalised at exit.
  static boost::mpi::environment env(boost::mpi::threading::funneled);
  return env;
}
// A new launch's outputs replace the previous run's from its start (as a one-process replay's do):
// a launch that dies before its merge (a killed rank) leaves no earlier log and summary in the
// output folder looking like its own; the summary goes first, as it marks outputs complete.
void remove_final_outputs(const fs::path& output) {
  std::error_code ec;
  for (const char* name : {"summary.json", board::kDecisionLogFile, board::kDecisionCsvFile, "scenario.resolved.yaml"}) fs::remove(output / name, ec);
}

}  // namespace

int launched_ranks() {
  if (std::getenv("OMPI_COMM_WORLD_SIZE") == nullptr && std::getenv("PMI_SIZE") == nullptr) return 1;
  (void)environment();
  return boost::mpi::communicator().size();
}

RankedReplay run_ranked_replay(const board::Scenario& scenario, board::ReplayOptions options) {
  (void)environment();
  const boost::mpi::communicator world;
  const int rank = world.rank();
  const int ranks = world.size();
  if (options.shard.sharded()) throw UsageError("--shard and mpirun split the events each; use one of them");
  const fs::path output = scenario.output.dir;
  const auto rank_dir = [&](int r) { return output / "ranks" / ("rank-" + std::to_string(r)); };
  board::Scenario mine = scenario;
  mine.output.dir = rank_dir(rank);
  options.shard = {static_cast<std::uint32_t>(rank), static_cast<std::uint32_t>(ranks)};
  // One progress stream, rank 0's, adding up every rank's counts (mpi_progress.h).
  const auto print = options.progress;
  std::optional<ProgressBoard> progress_board;
  std::optional<ProgressSender> progress_sender;
  if (print) {
    if (rank == 0) {
      progress_board.emplace(world, print);
      options.progress_counts = [&](const board::ReplayProgress& p) { progress_board->report_own(p); };
    } else {
      progress_sender.emplace(world);
      options.progress_counts = [&](const board::ReplayProgress& p) { progress_sender->report(p); };
      options.progress = nullptr;
    }
  }
  if (rank == 0 && !options.resume) remove_final_outputs(output);
  bool complete = false;
  try {
    complete = board::run_replay(mine, options).complete;
  } catch (const std::exception& e) {
    // One failing rank stops all: the others would wait for it at the merge.
    std::fprintf(stderr, "l1emu replay: rank %d of %d: %s\n", rank, ranks, e.what());
    std::fflush(stderr);
    world.abort(1);
  }
  if (progress_board) progress_board->wait_for_all();
  const bool all_complete = boost::mpi::all_reduce(world, complete ? 1 : 0, boost::mpi::minimum<int>()) == 1;
  RankedReplay result;
  result.printer = rank == 0;
  result.complete = all_complete;
  if (rank != 0) return result;
  if (!all_complete) {
    result.summary_text = "replay " + scenario.name + ": interrupted; the ranks' outputs are in " + (output / "ranks").string() +
                          "; continue with the same mpirun command and --resume\n";
    return result;
  }
  std::vector<fs::path> dirs;
  for (int r = 0; r < ranks; ++r) dirs.push_back(rank_dir(r));
  const auto t0 = std::chrono::steady_clock::now();
  const board::MergeResult merged = board::merge_shards(dirs, output);
  fs::remove_all(output / "ranks");
  if (print) {
    // The merge runs on rank 0 alone after every rank: its cost bounds the launch's speed-up.
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    print(fmt::format("replay: merged the {} ranks' outputs ({} events) in {:.2f} s", ranks, merged.events, seconds));
  }
  result.summary_text = merged.summary_text;
  return result;
}

#else

int launched_ranks() {
  const char* size = std::getenv("OMPI_COMM_WORLD_SIZE");
  if (size != nullptr && std::string(size) != "1") {
    throw std::runtime_error(
        "launched by mpirun with several ranks, but this l1emu was built without MPI (install libboost-mpi-dev and "
        "libopenmpi-dev, as scripts/setup.sh does, and configure again); every rank would write the same folder");
  }
  return 1;
}

RankedReplay run_ranked_replay(const board::Scenario&, board::ReplayOptions) {
  throw std::logic_error("run_ranked_replay: built without MPI");
}

#endif

}  // namespace l1emu::app
