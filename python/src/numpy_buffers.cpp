#include "numpy_buffers.h"

#include <sys/mman.h>

#include <cstdlib>
#include <deque>
#include <mutex>
#include <new>
#include <unordered_map>

namespace l1emu::python {
namespace {

struct Pool {
  std::mutex mutex;  // the GIL serialises the calls today; this keeps it so without one
  std::unordered_map<void*, std::size_t> size_of;  // every block the pool made that is not freed
  std::deque<void*> free_blocks;                    // released, oldest first
  std::size_t free_bytes = 0;
};

// Never destroyed: arrays may outlive the module's static objects at interpreter exit.
Pool& pool() {
  static Pool* p = new Pool;
  return *p;
}

void free_block(Pool& p, void* block) {
  p.size_of.erase(block);
  std::free(block);
}

// The caller holds p.mutex.
void free_pooled(Pool& p) {
  for (void* block : p.free_blocks) free_block(p, block);
  p.free_blocks.clear();
  p.free_bytes = 0;
}

}  // namespace

void* ResultBlockPool::take(std::size_t bytes) {
  Pool& p = pool();
  const std::lock_guard lock(p.mutex);
  // The smallest released block that holds the array (the same size, in a loop over equal batches),
  // and not more than twice its size (a small result must not pin a large block).
  auto best = p.free_blocks.end();
  for (auto it = p.free_blocks.begin(); it != p.free_blocks.end(); ++it) {
    const std::size_t size = p.size_of.at(*it);
    if (size >= bytes && size / 2 <= bytes && (best == p.free_blocks.end() || size < p.size_of.at(*best))) best = it;
  }
  if (best != p.free_blocks.end()) {
    void* block = *best;
    p.free_bytes -= p.size_of.at(block);
    p.free_blocks.erase(best);
    return block;
  }
  void* block = std::aligned_alloc(kHugePage, bytes);
  if (block == nullptr) {
    free_pooled(p);  // the pool's memory may be what is missing (the lock is held: not clear())
    block = std::aligned_alloc(kHugePage, bytes);
    if (block == nullptr) throw std::bad_alloc();
  }
  madvise(block, bytes, MADV_HUGEPAGE);  // a hint: without huge pages the array works the same
  p.size_of[block] = bytes;
  return block;
}

void ResultBlockPool::give(void* block) {
  Pool& p = pool();
  const std::lock_guard lock(p.mutex);
  const std::size_t size = p.size_of.at(block);
  if (size > kPoolBytes) {
    free_block(p, block);
    return;
  }
  p.free_blocks.push_back(block);
  p.free_bytes += size;
  while (p.free_bytes > kPoolBytes) {  // the oldest released go first
    void* oldest = p.free_blocks.front();
    p.free_blocks.pop_front();
    p.free_bytes -= p.size_of.at(oldest);
    free_block(p, oldest);
  }
}

void ResultBlockPool::clear() {
  Pool& p = pool();
  const std::lock_guard lock(p.mutex);
  free_pooled(p);
}

std::size_t ResultBlockPool::pooled_bytes() {
  Pool& p = pool();
  const std::lock_guard lock(p.mutex);
  return p.free_bytes;
}

namespace detail {
pybind11::capsule pooled_owner(void* block) {
  return pybind11::capsule(block, [](void* b) { ResultBlockPool::give(b); });
}
}  // namespace detail

}  // namespace l1emu::python
