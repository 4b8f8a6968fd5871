#pragma once
// Progress of `mpirun -n N l1emu replay` on rank 0, covering every rank (shared/DESIGN.md,
// Scale-out: "progress from rank 0 shows all ranks"). Each rank's replay reports its counts
// (board::ReplayProgress); ranks 1..N-1 send them to rank 0 as small non-blocking messages, and rank
// 0 adds up the latest report of every rank into one line: the events done over all ranks, of how
// many, how many ranks have finished, and the combined throughput.
// Every MPI call happens on the thread that runs the replay's loop (the environment is initialised
// with MPI_THREAD_FUNNELED). One tag carries every report, so MPI's non-overtaking order (a rank's
// messages are received in the order it sent them) makes a rank's closing report its last.
#ifdef L1EMU_WITH_MPI

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <boost/mpi/communicator.hpp>
#include <boost/mpi/request.hpp>

#include "l1emu/board/replay.h"

namespace l1emu::app {

/// On ranks 1..N-1: forwards the replay's reports to rank 0. At most one message is in flight: a
/// periodic report that finds the previous one not yet delivered is dropped (rank 0 shows a count a
/// second old); the closing report waits for delivery.
class ProgressSender {
 public:
  explicit ProgressSender(const boost::mpi::communicator& world) : world_(world) {}
  void report(const board::ReplayProgress& p);

 private:
  const boost::mpi::communicator& world_;
  std::array<std::uint64_t, 4> message_{};  // the buffer of the message in flight
  std::optional<boost::mpi::request> in_flight_;
};

/// On rank 0: the latest report of every rank, and the lines that add them up.
class ProgressBoard {
 public:
  ProgressBoard(const boost::mpi::communicator& world, std::function<void(const std::string&)> print);
  /// Rank 0's own report: takes the messages that arrived, prints the combined line (rank 0's
  /// replay reports once a second, or every output.progress_every events).
  void report_own(const board::ReplayProgress& p);
  /// After rank 0's replay: receives until every rank has sent its closing report, a line a
  /// second meanwhile, then the closing line. A rank that dies never reports: mpirun then stops
  /// this rank too (the launch fails with mpirun's message naming the rank).
  void wait_for_all();

 private:
  struct RankCounts {
    std::uint64_t done = 0;
    std::uint64_t this_run = 0;
    std::uint64_t range_events = 0;  // 0: not reported yet, or the source's end not known ahead
    bool reported = false;
    bool finished = false;
  };
  void receive_pending();
  void print_line(bool closing);

  const boost::mpi::communicator& world_;
  std::function<void(const std::string&)> print_;
  std::vector<RankCounts> ranks_;
  std::chrono::steady_clock::time_point t0_;
  std::chrono::steady_clock::time_point last_line_;
};

}  // namespace l1emu::app

#endif
