#pragma once
// Result arrays of the module, allocated so that filling them costs what writing them costs: a
// large array is allocated here on 2 MB boundaries with transparent huge pages requested
// (madvise(MADV_HUGEPAGE)): writing fresh memory otherwise takes one page fault and one zeroed
// 4 KB page per 73 events of a vae_paper prediction, as much time as the model's largest layer.
// numpy owns the memory through a capsule that frees it; no copy is made.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <sys/mman.h>

#include <cstdlib>
#include <new>
#include <vector>

namespace l1emu::python {

template <class T>
pybind11::array_t<T> result_array(const std::vector<pybind11::ssize_t>& shape) {
  constexpr std::size_t kHugePage = std::size_t{2} << 20;
  std::size_t bytes = sizeof(T);
  for (const auto n : shape) bytes *= static_cast<std::size_t>(n);
  if (bytes < 2 * kHugePage) return pybind11::array_t<T>(shape);  // numpy's own allocation
  const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
  void* memory = std::aligned_alloc(kHugePage, rounded);
  if (memory == nullptr) throw std::bad_alloc();
  madvise(memory, rounded, MADV_HUGEPAGE);  // a hint: without huge pages the array works the same
  pybind11::capsule owner(memory, [](void* p) { std::free(p); });
  return pybind11::array_t<T>(shape, static_cast<T*>(memory), owner);
}

}  // namespace l1emu::python
