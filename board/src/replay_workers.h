#pragma once
// Persistent helper threads of the replay (internal header). Two kinds of work:
//  - one background task at a time (the replay produces batch k+1 from the source there): a
//    sequential job that a single helper claims, so the source is never touched by two threads;
//  - chunked work on the current batch (scoring), shared by the caller and every idle helper,
//    a helper joining as soon as it has finished the background task.
// Each chunk writes only its own results, so who runs which chunk never changes an output.
// Threads live as long as the object (no thread start per batch). With 0 helpers everything runs
// inline on the caller, in the same order.
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace l1emu::board::detail {

class ReplayWorkers {
 public:
  /// `helpers`: threads besides the caller.
  explicit ReplayWorkers(unsigned helpers);
  /// Waits for a running background task and stops the helpers.
  ~ReplayWorkers();
  ReplayWorkers(const ReplayWorkers&) = delete;
  ReplayWorkers& operator=(const ReplayWorkers&) = delete;

  /// Starts `task` on a helper (with no helpers: runs it now). At most one at a time.
  void start_background(std::function<void()> task);
  /// Waits for the background task; rethrows what it threw.
  void wait_background();
  /// Runs work(worker, chunk) for every chunk in [0, chunks): worker 0 is the caller, 1.. the
  /// helpers. Returns when all chunks are done; rethrows the first exception of a chunk.
  void for_each_chunk(std::size_t chunks, const std::function<void(unsigned worker, std::size_t chunk)>& work);

 private:
  void helper_loop(unsigned id);
  /// Takes chunks of the current job until none is left (lock held on entry and exit).
  void run_chunks(std::unique_lock<std::mutex>& lock, unsigned id);

  std::mutex mutex_;
  std::condition_variable wake_;  // helpers wait here for work
  std::condition_variable done_;  // the caller waits here for the background task or the chunks
  bool stop_ = false;

  std::function<void()> background_;
  bool background_pending_ = false;  // started, not yet claimed by a helper
  bool background_running_ = false;  // started, not yet finished
  std::exception_ptr background_error_;

  const std::function<void(unsigned, std::size_t)>* job_ = nullptr;
  std::size_t job_chunks_ = 0;
  std::size_t next_chunk_ = 0;
  std::size_t finished_chunks_ = 0;
  std::exception_ptr job_error_;

  std::vector<std::thread> threads_;
};

}  // namespace l1emu::board::detail
