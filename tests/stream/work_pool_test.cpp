// The work pool's contract (stream/work_pool.h): every piece of a job runs exactly once, with a
// worker index in range and never on two threads under one index; a thread waiting (the owner for
// the background task, any thread for a job) runs pieces meanwhile; a piece's exception reaches the
// job's waiter and the other pieces still run; with no helpers everything runs on the caller.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "l1emu/stream/work_pool.h"

namespace l1emu::stream {
namespace {

TEST(WorkPool, EveryPieceRunsOnceWithAWorkerIndexOfItsOwnThread) {
  for (unsigned helpers : {0U, 1U, 3U}) {
    WorkPool pool(helpers);
    EXPECT_EQ(pool.workers(), helpers + 1);
    std::vector<std::atomic<int>> runs(1000);
    std::mutex m;
    std::map<unsigned, std::thread::id> thread_of_worker;
    bool clash = false;
    pool.for_each(runs.size(), [&](unsigned worker, std::size_t piece) {
      runs[piece].fetch_add(1);
      std::lock_guard lock(m);
      EXPECT_LT(worker, pool.workers());
      const auto [it, added] = thread_of_worker.emplace(worker, std::this_thread::get_id());
      if (!added && it->second != std::this_thread::get_id()) clash = true;
    });
    for (const auto& r : runs) EXPECT_EQ(r.load(), 1);
    EXPECT_FALSE(clash) << "one worker index on two threads, " << helpers << " helpers";
    // The owner is worker 0.
    if (thread_of_worker.count(0) != 0) {
      EXPECT_EQ(thread_of_worker[0], std::this_thread::get_id());
    }
  }
}

// The background task posts a job and does not run it: only the owner, waiting for the background
// task, can. So the job finishes only if wait_background() runs pieces.
TEST(WorkPool, TheOwnerWaitingForTheBackgroundTaskRunsItsPostedPieces) {
  WorkPool pool(1);
  std::atomic<int> done{0};
  std::atomic<bool> by_owner{true};
  const auto owner = std::this_thread::get_id();
  WorkJob job(8, [&](unsigned worker, std::size_t) {
    if (std::this_thread::get_id() != owner || worker != 0) by_owner = false;
    done.fetch_add(1);
  });
  bool finished_by_others = false;
  pool.start_background([&] {
    pool.post(job);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (done.load() < 8 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    finished_by_others = done.load() == 8;
    pool.wait(job);
  });
  pool.wait_background();
  EXPECT_TRUE(finished_by_others);
  EXPECT_TRUE(by_owner.load());
  EXPECT_FALSE(job.posted());
}

// A thread waiting for its own job, whose piece another thread is running, runs another job's
// pieces: the helper holds `slow` until `other` is done, and only the owner is free to run it.
TEST(WorkPool, AThreadWaitingForAJobRunsOtherJobsPieces) {
  WorkPool pool(1);
  std::atomic<bool> started{false}, released{false};
  std::atomic<int> others{0};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  WorkJob slow(1, [&](unsigned, std::size_t) {
    started = true;
    while (others.load() < 4 && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
    released = others.load() == 4;
  });
  WorkJob other(4, [&](unsigned, std::size_t) { others.fetch_add(1); });
  pool.post(slow);
  while (!started.load() && std::chrono::steady_clock::now() < deadline) std::this_thread::yield();
  ASSERT_TRUE(started.load());
  pool.post(other);
  pool.wait(slow);
  EXPECT_TRUE(released.load()) << "the owner did not run the other job's pieces while waiting";
  pool.wait(other);
  EXPECT_EQ(others.load(), 4);
}

TEST(WorkPool, APiecesExceptionReachesTheWaiterAndTheOtherPiecesStillRun) {
  for (unsigned helpers : {0U, 2U}) {
    WorkPool pool(helpers);
    std::atomic<int> ran{0};
    WorkJob job(50, [&](unsigned, std::size_t piece) {
      ran.fetch_add(1);
      if (piece == 7 || piece == 31) throw std::runtime_error("piece " + std::to_string(piece));
    });
    pool.post(job);
    EXPECT_THROW(pool.wait(job), std::runtime_error);
    EXPECT_EQ(ran.load(), 50);
    EXPECT_FALSE(job.posted());
    // The job object can be posted again.
    ran = 0;
    job.reset(3, [&](unsigned, std::size_t) { ran.fetch_add(1); });
    pool.post(job);
    pool.wait(job);
    EXPECT_EQ(ran.load(), 3);
  }
}

TEST(WorkPool, BackgroundErrorsReachWaitBackground) {
  for (unsigned helpers : {0U, 1U}) {
    WorkPool pool(helpers);
    pool.start_background([] { throw std::runtime_error("background"); });
    EXPECT_THROW(pool.wait_background(), std::runtime_error);
    int ran = 0;
    pool.start_background([&] { ++ran; });
    pool.wait_background();
    EXPECT_EQ(ran, 1);
  }
}

TEST(WorkPool, WithoutHelpersEverythingRunsOnTheCaller) {
  WorkPool pool(0);
  const auto caller = std::this_thread::get_id();
  bool elsewhere = false;
  pool.for_each(20, [&](unsigned worker, std::size_t) { elsewhere = elsewhere || worker != 0 || std::this_thread::get_id() != caller; });
  pool.start_background([&] { elsewhere = elsewhere || std::this_thread::get_id() != caller; });
  pool.wait_background();
  EXPECT_FALSE(elsewhere);
}

}  // namespace
}  // namespace l1emu::stream
