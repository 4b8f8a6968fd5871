#include "mpi_progress.h"

#ifdef L1EMU_WITH_MPI

#include <algorithm>
#include <thread>

#include <fmt/format.h>

namespace l1emu::app {
namespace {

constexpr int kProgressTag = 18;  // the only point-to-point messages of the launch
// A report: done, this_run, range_events, finished (0 or 1).
using Message = std::array<std::uint64_t, 4>;

}  // namespace

void ProgressSender::report(const board::ReplayProgress& p) {
  if (in_flight_) {
    if (p.finished) {
      in_flight_->wait();
    } else if (!in_flight_->test()) {
      return;  // rank 0 has not taken the previous one yet: this one would only queue behind it
    }
    in_flight_.reset();
  }
  message_ = {p.done, p.this_run, p.range_events, p.finished ? 1U : 0U};
  in_flight_ = world_.isend(0, kProgressTag, message_.data(), static_cast<int>(message_.size()));
  if (p.finished) {
    // Delivered before this rank goes on to the collective that ends the replay.
    in_flight_->wait();
    in_flight_.reset();
  }
}

ProgressBoard::ProgressBoard(const boost::mpi::communicator& world, std::function<void(const std::string&)> print)
    : world_(world), print_(std::move(print)), ranks_(static_cast<std::size_t>(world.size())), t0_(std::chrono::steady_clock::now()), last_line_(t0_) {}

void ProgressBoard::receive_pending() {
  while (const auto status = world_.iprobe(boost::mpi::any_source, kProgressTag)) {
    Message m{};
    world_.recv(status->source(), kProgressTag, m.data(), static_cast<int>(m.size()));
    RankCounts& r = ranks_.at(static_cast<std::size_t>(status->source()));
    r = {.done = m[0], .this_run = m[1], .range_events = m[2], .reported = true, .finished = m[3] != 0};
  }
}

void ProgressBoard::report_own(const board::ReplayProgress& p) {
  ranks_[0] = {.done = p.done, .this_run = p.this_run, .range_events = p.range_events, .reported = true, .finished = p.finished};
  receive_pending();
  if (!p.finished) print_line(false);  // the closing line waits for every rank (wait_for_all)
}

void ProgressBoard::wait_for_all() {
  for (;;) {
    receive_pending();
    if (std::all_of(ranks_.begin(), ranks_.end(), [](const RankCounts& r) { return r.finished; })) break;
    if (std::chrono::steady_clock::now() - last_line_ >= std::chrono::seconds(1)) print_line(false);
    // Polling keeps this rank's thread on the MPI calls it may make (funneled) at a cost of nothing
    // measurable; a late rank is seen within 20 ms.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  print_line(true);
}

void ProgressBoard::print_line(bool closing) {
  std::uint64_t done = 0, this_run = 0, total = 0;
  std::size_t finished = 0;
  bool total_known = true;  // every rank has said how many events its range holds
  for (const RankCounts& r : ranks_) {
    done += r.done;
    this_run += r.this_run;
    total += r.range_events;
    finished += r.finished ? 1 : 0;
    total_known = total_known && r.reported && r.range_events > 0;
  }
  const auto now = std::chrono::steady_clock::now();
  const double seconds = std::chrono::duration<double>(now - t0_).count();
  // The launch's throughput: the events the ranks replayed in this launch over rank 0's wall time.
  const double rate = seconds > 0 ? static_cast<double>(this_run) / seconds : 0.0;
  if (closing) {
    print_(fmt::format("replay: {} events done on {} ranks, {:.0f} events/s", done, ranks_.size(), rate));
  } else {
    const std::string of =
        total_known ? fmt::format(" of {} ({:.0f} %)", total, 100.0 * static_cast<double>(done) / static_cast<double>(total)) : std::string();
    print_(fmt::format("replay: {} events{} on {} ranks ({} finished), {:.0f} events/s", done, of, ranks_.size(), finished, rate));
  }
  last_line_ = now;
}

}  // namespace l1emu::app

#endif
