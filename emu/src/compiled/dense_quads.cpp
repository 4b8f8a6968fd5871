// The weight layout of the byte-quad Dense (dense_quads.h); the kernel is dense_quads_vnni.cpp.
#include "compiled/dense_quads.h"

namespace l1emu::emu::compiled {

void QuadsDense::prepare(const std::vector<std::int32_t>& weights, std::size_t inputs, std::size_t outputs, bool offset,
                         const std::vector<std::int32_t>& pairs_start) {
  n_in = inputs;
  n_out = outputs;
  n_quads = (inputs + 3) / 4;
  offset_inputs = offset;
  w.assign(n_quads * n_out, 0);
  start = pairs_start;
  for (std::size_t i = 0; i < n_in; ++i) {
    for (std::size_t j = 0; j < n_out; ++j) {
      const std::int32_t code = weights[i * n_out + j];
      auto& quad = w[(i / 4) * n_out + j];
      quad = static_cast<std::int32_t>(static_cast<std::uint32_t>(quad) | (static_cast<std::uint32_t>(code & 0xFF) << (8 * (i % 4))));
      // Modulo 2^32 like the kernel's sums (unsigned: no overflow in the arithmetic itself).
      if (offset) start[j] = static_cast<std::int32_t>(static_cast<std::uint32_t>(start[j]) - 128U * static_cast<std::uint32_t>(code));
    }
  }
}

}  // namespace l1emu::emu::compiled
