#pragma once
// `mpirun -n N l1emu replay ...` (shared/DESIGN.md, Scale-out): every rank replays shard `rank` of N
// (board/shard.h: disjoint contiguous ranges, the full board chain) into a folder of its own,
// <output>/ranks/rank-<r>, and rank 0 merges them into the one set of outputs (board/shard_merge.h),
// identical to a one-process run. A rank that fails stops all ranks with its message (MPI abort);
// interrupted ranks (SIGTERM, which mpirun forwards) keep their folders for --resume under mpirun.
// Rank 0 prints the progress of all ranks (mpi_progress.h) and the merge's time. A launch that
// dies before its merge (a killed rank: mpirun stops the others) leaves no final outputs: rank 0
// removes the previous run's at the start, and the ranks' folders hold only .partial files or
// summaries marked incomplete.
// Built with Boost.MPI when CMake finds it (L1EMU_WITH_MPI); without it, a launch by mpirun with more
// than one rank is refused, so that N processes never write one folder.
#include <functional>
#include <string>

#include "l1emu/board/replay.h"
#include "l1emu/board/scenario.h"

namespace l1emu::app {

/// Ranks of the launch (the MPI world size; 1 outside mpirun). Without MPI support and more than
/// one rank (Open MPI's OMPI_COMM_WORLD_SIZE), throws a message saying how to build with MPI.
[[nodiscard]] int launched_ranks();

struct RankedReplay {
  bool complete = false;
  bool printer = false;      // rank 0: prints the summary and says the exit code
  std::string summary_text;  // rank 0's
};

/// Runs the replay as one rank of the launch and merges on rank 0.
[[nodiscard]] RankedReplay run_ranked_replay(const board::Scenario& scenario, board::ReplayOptions options);

}  // namespace l1emu::app
