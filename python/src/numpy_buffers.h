#pragma once
// Result arrays of the module, allocated so that filling them costs what writing them costs.
//
// Fresh memory is expensive here: the kernel zeroes every page on its first write, and on the
// virtual machines the README measures on, a page the guest freed is often handed back to the host
// and faulted in again on the next touch. For a vae_paper prediction of 2 M events (112 MB of
// float64 results) that first touch took a third of predict's time. So a large array is
//  - allocated on 2 MB boundaries with transparent huge pages requested (madvise(MADV_HUGEPAGE)),
//    one fault per 2 MB instead of per 4 KB, and
//  - taken from a small pool of blocks that earlier results released (ResultBlockPool), so a loop
//    of predict calls (a notebook over batches, a benchmark) writes into memory that is already
//    mapped. The pool keeps at most kPoolBytes; release_result_blocks() empties it.
// numpy owns the memory through a capsule that returns it to the pool; no copy is made.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <cstddef>
#include <vector>

namespace l1emu::python {

/// Blocks of released result arrays, kept for reuse. All calls happen with the GIL held (array
/// creation and capsule destruction are Python operations), which serialises them.
class ResultBlockPool {
 public:
  static constexpr std::size_t kHugePage = std::size_t{2} << 20;
  /// The most memory kept for reuse: two 2 M-event predictions of a model with a few dozen outputs.
  static constexpr std::size_t kPoolBytes = std::size_t{1} << 30;

  /// A block of at least `bytes` (a multiple of kHugePage): a pooled one of the same size, else a new one.
  static void* take(std::size_t bytes);
  /// Gives a block back (from its array's capsule); freed when the pool is full.
  static void give(void* block);
  /// Frees every pooled block (l1emu.release_memory()).
  static void clear();
  /// Bytes held by the pool now (l1emu.pooled_bytes(), for tests and notebooks).
  static std::size_t pooled_bytes();
};

namespace detail {
pybind11::capsule pooled_owner(void* block);
}  // namespace detail

template <class T>
pybind11::array_t<T> result_array(const std::vector<pybind11::ssize_t>& shape) {
  std::size_t bytes = sizeof(T);
  for (const auto n : shape) bytes *= static_cast<std::size_t>(n);
  if (bytes < 2 * ResultBlockPool::kHugePage) return pybind11::array_t<T>(shape);  // numpy's own allocation
  const std::size_t rounded = (bytes + ResultBlockPool::kHugePage - 1) / ResultBlockPool::kHugePage * ResultBlockPool::kHugePage;
  void* block = ResultBlockPool::take(rounded);
  return pybind11::array_t<T>(shape, static_cast<T*>(block), detail::pooled_owner(block));
}

}  // namespace l1emu::python
