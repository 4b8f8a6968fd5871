#pragma once
// The threads a stream's stages share: a fixed set of helper threads beside the owner's, for two
// kinds of work.
//  - One background task at a time: a sequential job (the replay reads batch k+1 there) that one
//    helper claims, so what it touches is never used by two threads at once.
//  - Jobs of independent pieces (a batch's scoring, a dataset's chunks to inflate), posted by any
//    thread, the background task included. Every thread that would otherwise wait runs pieces:
//    an idle helper, the owner waiting for the background task, and a thread waiting for a job
//    (its own job's pieces first, then any other's). So the work of one stage fills the time
//    another stage would spend waiting, whichever stage that is.
// Each piece writes only its own results, so which thread runs which piece never changes an output.
// Threads live as long as the pool (no thread start per batch). With 0 helpers everything runs on
// the calling thread: the background task when started, a job's pieces when it is waited for.
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace l1emu::stream {

class WorkPool;

/// Pieces [0, pieces) of one job, each run once as work(worker, piece) on some thread of the pool;
/// `worker` is 0 on the owner's thread and 1.. on the helpers (an index for per-thread scratch).
/// The job must outlive its wait().
class WorkJob {
 public:
  using Work = std::function<void(unsigned worker, std::size_t piece)>;
  WorkJob() = default;
  WorkJob(std::size_t pieces, Work work) : pieces_(pieces), work_(std::move(work)) {}
  WorkJob(const WorkJob&) = delete;
  WorkJob& operator=(const WorkJob&) = delete;
  /// Sets the pieces and work of a job that is not posted (a job object can be used again).
  void reset(std::size_t pieces, Work work) {
    pieces_ = pieces;
    work_ = std::move(work);
  }
  /// Posted and not yet waited for (asked by the thread that posts and waits for the job).
  [[nodiscard]] bool posted() const { return posted_; }

 private:
  friend class WorkPool;
  std::size_t pieces_ = 0;
  Work work_;
  // The pool's bookkeeping, under its lock while posted.
  std::size_t next_ = 0;
  std::size_t finished_ = 0;
  std::exception_ptr error_;
  bool posted_ = false;
};

class WorkPool {
 public:
  /// `helpers`: threads besides the owner's (the thread that constructs the pool and waits on it).
  explicit WorkPool(unsigned helpers);
  /// Waits for a running background task and stops the helpers. Every posted job must have been
  /// waited for.
  ~WorkPool();
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  [[nodiscard]] unsigned helpers() const { return static_cast<unsigned>(threads_.size()); }
  /// Threads that may run a piece: the owner and the helpers.
  [[nodiscard]] unsigned workers() const { return helpers() + 1; }

  /// Starts `task` on a helper (with no helpers: runs it now). At most one at a time.
  void start_background(std::function<void()> task);
  /// Waits for the background task, running pieces of posted jobs meanwhile; rethrows what the
  /// task threw.
  void wait_background();

  /// Makes the job's pieces available to every thread of the pool; returns at once.
  void post(WorkJob& job);
  /// Returns when every piece of `job` has run, running pieces meanwhile (the job's own first);
  /// rethrows the first exception of a piece. The job is then no longer posted.
  void wait(WorkJob& job);
  /// post() and wait() in one: runs work(worker, piece) for every piece in [0, pieces).
  void for_each(std::size_t pieces, const WorkJob::Work& work);

 private:
  void helper_loop(unsigned id);
  /// Runs posted pieces until the background task is over (lock held on entry and exit).
  void help_until_background_done(std::unique_lock<std::mutex>& lock);
  /// A posted job with a piece not yet claimed: `preferred` when it has one, else the oldest.
  [[nodiscard]] WorkJob* claimable(WorkJob* preferred) const;
  /// Claims and runs one piece of `job` (lock held on entry and exit, released while it runs).
  void run_piece(std::unique_lock<std::mutex>& lock, WorkJob& job, unsigned worker);
  /// This thread's worker index in this pool (0 unless it is one of the helpers).
  [[nodiscard]] unsigned this_worker() const;

  std::mutex mutex_;
  // Any change a waiting thread may act on: a job posted or finished, the background task
  // started or finished, the stop. Few threads wait on it, so every change wakes them all.
  std::condition_variable changed_;
  bool stop_ = false;

  std::function<void()> background_;
  bool background_pending_ = false;  // started, not yet claimed by a helper
  bool background_running_ = false;  // started, not yet finished
  std::exception_ptr background_error_;

  std::vector<WorkJob*> jobs_;  // posted, in posting order
  std::vector<std::thread> threads_;
};

}  // namespace l1emu::stream
