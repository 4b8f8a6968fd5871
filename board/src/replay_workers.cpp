#include "replay_workers.h"

namespace l1emu::board::detail {

ReplayWorkers::ReplayWorkers(unsigned helpers) {
  threads_.reserve(helpers);
  for (unsigned i = 0; i < helpers; ++i) threads_.emplace_back([this, i] { helper_loop(i + 1); });
}

ReplayWorkers::~ReplayWorkers() {
  {
    std::unique_lock lock(mutex_);
    // A background task may still use the caller's objects: let it finish first.
    done_.wait(lock, [&] { return !background_running_; });
    stop_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

void ReplayWorkers::start_background(std::function<void()> task) {
  if (threads_.empty()) {
    try {
      task();
    } catch (...) {
      background_error_ = std::current_exception();
    }
    return;
  }
  {
    std::lock_guard lock(mutex_);
    background_ = std::move(task);
    background_pending_ = true;
    background_running_ = true;
  }
  wake_.notify_one();
}

void ReplayWorkers::wait_background() {
  std::unique_lock lock(mutex_);
  done_.wait(lock, [&] { return !background_running_; });
  if (background_error_) {
    const std::exception_ptr e = background_error_;
    background_error_ = nullptr;
    std::rethrow_exception(e);
  }
}

void ReplayWorkers::for_each_chunk(std::size_t chunks, const std::function<void(unsigned, std::size_t)>& work) {
  std::unique_lock lock(mutex_);
  job_ = &work;
  job_chunks_ = chunks;
  next_chunk_ = 0;
  finished_chunks_ = 0;
  job_error_ = nullptr;
  if (!threads_.empty()) wake_.notify_all();
  run_chunks(lock, 0);
  done_.wait(lock, [&] { return finished_chunks_ == job_chunks_; });
  job_ = nullptr;
  if (job_error_) {
    const std::exception_ptr e = job_error_;
    job_error_ = nullptr;
    std::rethrow_exception(e);
  }
}

void ReplayWorkers::run_chunks(std::unique_lock<std::mutex>& lock, unsigned id) {
  // Chunks are taken under the lock and the job is re-read each time: a helper can never run a
  // chunk index of one job with the work of another.
  while (job_ != nullptr && next_chunk_ < job_chunks_) {
    const auto* work = job_;
    const std::size_t chunk = next_chunk_++;
    lock.unlock();
    std::exception_ptr error;
    try {
      (*work)(id, chunk);
    } catch (...) {
      error = std::current_exception();
    }
    lock.lock();
    if (error && !job_error_) job_error_ = error;
    if (++finished_chunks_ == job_chunks_) done_.notify_all();
  }
}

void ReplayWorkers::helper_loop(unsigned id) {
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [&] { return stop_ || background_pending_ || (job_ != nullptr && next_chunk_ < job_chunks_); });
    if (stop_) return;
    if (background_pending_) {
      background_pending_ = false;
      std::function<void()> task = std::move(background_);
      lock.unlock();
      std::exception_ptr error;
      try {
        task();
      } catch (...) {
        error = std::current_exception();
      }
      lock.lock();
      background_error_ = error;
      background_running_ = false;
      done_.notify_all();
      continue;
    }
    run_chunks(lock, id);
  }
}

}  // namespace l1emu::board::detail
