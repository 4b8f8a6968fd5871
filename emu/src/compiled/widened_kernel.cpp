// A layer whose intermediates need 64-bit lanes inside a plan of 32-bit lanes (every array, its
// output included, fits 32 bits; only the arithmetic in between is wider, e.g. AXOL1TL v5's Dot
// with a 37-bit accumulator): its inputs are widened into 64-bit lanes, the 64-bit kernel runs,
// and its output is narrowed back. The rest of the model keeps its 32-bit (and 16-bit) kernels:
// the narrowest exact lane width per layer.
#include <cstdint>
#include <string>

#include "kernel.h"

namespace l1emu::emu::compiled {
namespace {

class WidenedKernel final : public Kernel<std::int32_t> {
 public:
  KernelPtr<std::int64_t> inner;
  std::vector<std::size_t> sizes;  // values per array, Model numbering

  void run(LaneArrays<std::int32_t>& arrays, std::size_t n) const override {
    // Per-thread 64-bit copy of the arrays this layer touches (kernels are shared by threads).
    thread_local LaneArrays<std::int64_t> wide;
    wide.batch = arrays.batch;
    wide.offset = arrays.offset;
    if (wide.data.size() < arrays.data.size()) wide.data.resize(arrays.data.size());
    wide.bind();
    for (const std::size_t a : this->inputs) {
      const std::int32_t* from = arrays.row(a, 0);
      std::int64_t* to = wide.row(a, 0);
      for (std::size_t k = 0; k < sizes[a] * arrays.batch; ++k) to[k] = from[k];
    }
    inner->run(wide, n);
    const std::int64_t* from = wide.row(this->output, 0);
    std::int32_t* to = arrays.row(this->output, 0);
    for (std::size_t k = 0; k < sizes[this->output] * arrays.batch; ++k) to[k] = static_cast<std::int32_t>(from[k]);
  }
  std::string describe() const override { return "int64 inside the int32 plan: " + inner->describe(); }
};

}  // namespace

KernelPtr<std::int32_t> make_widened_kernel(KernelPtr<std::int64_t> inner, std::vector<std::size_t> array_sizes) {
  auto k = std::make_unique<WidenedKernel>();
  k->inner = std::move(inner);
  k->sizes = std::move(array_sizes);
  return k;
}

}  // namespace l1emu::emu::compiled
