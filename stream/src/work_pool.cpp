#include "l1emu/stream/work_pool.h"

#include <algorithm>

namespace l1emu::stream {
namespace {
// Which pool's helper this thread is, and its index there (a thread of no pool is some pool's
// owner: worker 0).
thread_local const WorkPool* t_pool = nullptr;
thread_local unsigned t_worker = 0;
}  // namespace

WorkPool::WorkPool(unsigned helpers) {
  threads_.reserve(helpers);
  for (unsigned i = 0; i < helpers; ++i) threads_.emplace_back([this, i] { helper_loop(i + 1); });
}

WorkPool::~WorkPool() {
  {
    std::unique_lock lock(mutex_);
    // A background task may still use the owner's objects: let it finish first.
    help_until_background_done(lock);
    stop_ = true;
  }
  changed_.notify_all();
  for (auto& t : threads_) t.join();
}

unsigned WorkPool::this_worker() const { return t_pool == this ? t_worker : 0; }

void WorkPool::start_background(std::function<void()> task) {
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
  changed_.notify_all();
}

void WorkPool::help_until_background_done(std::unique_lock<std::mutex>& lock) {
  // The task may be waiting for pieces of its own jobs: running them is what lets it finish.
  while (background_running_) {
    if (WorkJob* job = claimable(nullptr)) {
      run_piece(lock, *job, this_worker());
    } else {
      changed_.wait(lock);
    }
  }
}

void WorkPool::wait_background() {
  std::unique_lock lock(mutex_);
  help_until_background_done(lock);
  if (background_error_) {
    const std::exception_ptr e = background_error_;
    background_error_ = nullptr;
    std::rethrow_exception(e);
  }
}

void WorkPool::post(WorkJob& job) {
  {
    std::lock_guard lock(mutex_);
    job.next_ = 0;
    job.finished_ = 0;
    job.error_ = nullptr;
    job.posted_ = true;
    jobs_.push_back(&job);
  }
  if (!threads_.empty() && job.pieces_ > 0) changed_.notify_all();
}

void WorkPool::wait(WorkJob& job) {
  std::unique_lock lock(mutex_);
  const unsigned worker = this_worker();
  while (job.finished_ < job.pieces_) {
    if (WorkJob* next = claimable(&job)) {
      run_piece(lock, *next, worker);
    } else {
      changed_.wait(lock);
    }
  }
  jobs_.erase(std::find(jobs_.begin(), jobs_.end(), &job));
  job.posted_ = false;
  if (job.error_) {
    const std::exception_ptr e = job.error_;
    job.error_ = nullptr;
    std::rethrow_exception(e);
  }
}

void WorkPool::for_each(std::size_t pieces, const WorkJob::Work& work) {
  WorkJob job(pieces, work);
  post(job);
  wait(job);
}

WorkJob* WorkPool::claimable(WorkJob* preferred) const {
  if (preferred != nullptr && preferred->next_ < preferred->pieces_) return preferred;
  for (WorkJob* job : jobs_) {
    if (job->next_ < job->pieces_) return job;
  }
  return nullptr;
}

void WorkPool::run_piece(std::unique_lock<std::mutex>& lock, WorkJob& job, unsigned worker) {
  const std::size_t piece = job.next_++;
  lock.unlock();
  std::exception_ptr error;
  try {
    job.work_(worker, piece);
  } catch (...) {
    error = std::current_exception();
  }
  lock.lock();
  if (error && !job.error_) job.error_ = error;
  // The job's waiter may sleep; any thread may wait for any job, so everyone is told.
  if (++job.finished_ == job.pieces_) changed_.notify_all();
}

void WorkPool::helper_loop(unsigned id) {
  t_pool = this;
  t_worker = id;
  std::unique_lock lock(mutex_);
  for (;;) {
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
      task = nullptr;  // what the task captured goes before the owner hears it is done
      lock.lock();
      background_error_ = error;
      background_running_ = false;
      changed_.notify_all();
      continue;
    }
    if (WorkJob* job = claimable(nullptr)) {
      run_piece(lock, *job, id);
      continue;
    }
    changed_.wait(lock);
  }
}

}  // namespace l1emu::stream
