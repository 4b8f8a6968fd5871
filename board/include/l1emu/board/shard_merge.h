#pragma once
// Joins the outputs of a replay's shards (replay --shard I/N, shard.h) into the outputs of a
// one-process run (shared/DESIGN.md, Scale-out): decisions.h5 and decisions.csv with the rows in
// event order, summary.json equal to the one-process summary but for timings, and
// scenario.resolved.yaml. Checked first, before anything is written: every shard complete, all of
// one scenario (the same resolved scenario but for the output folder) and one shard count, each
// shard once, their ranges contiguous from event 0. A shard's prescale counters start at 0, so the
// bits after prescale are counted again in event order; per-bit fires, latency ranges and dead time
// are counted from the merged rows, link and data-problem counters summed, stage FIFO maxima taken
// as the largest.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace l1emu::board {

struct MergeResult {
  std::uint64_t events = 0;
  std::size_t shards = 0;
  std::filesystem::path output_dir;
  std::string summary_json;  // as written to summary.json
  std::string summary_text;  // as a one-process replay prints it
};

/// Throws BoardError naming the folder and what is wrong (a missing, overlapping, incomplete or
/// foreign shard); nothing is written then.
[[nodiscard]] MergeResult merge_shards(const std::vector<std::filesystem::path>& shard_dirs, const std::filesystem::path& output_dir);

}  // namespace l1emu::board
