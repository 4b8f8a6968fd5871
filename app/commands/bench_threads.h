#pragma once
// The bench command's worker threads (internal): `work(t, begin, end)` on threads t = 0..threads-1,
// each given its share [begin, end) of `events`; the first exception any of them throws (a layer's
// error: an embedding index outside its table) is rethrown once all have stopped.
#include <cstddef>
#include <exception>
#include <thread>
#include <vector>

namespace l1emu::app {

template <class Work>
void on_threads(unsigned threads, std::size_t events, Work&& work) {
  std::vector<std::exception_ptr> errors(threads);
  {
    std::vector<std::jthread> workers;
    for (unsigned t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        try {
          work(t, events * t / threads, events * (t + 1) / threads);
        } catch (...) {
          errors[t] = std::current_exception();
        }
      });
    }
  }
  for (const auto& error : errors) {
    if (error) std::rethrow_exception(error);
  }
}

}  // namespace l1emu::app
