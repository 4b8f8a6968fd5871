// Plan-time range helpers shared by every kernel (declared in kernel.h).
#include "kernel.h"

namespace l1emu::emu::compiled {

Int128 max_abs(const std::vector<BigInt>& codes) {
  BigInt m = 0;
  for (const auto& c : codes) m = std::max(m, BigInt(abs(c)));
  if (m > (BigInt(1) << 120)) return static_cast<Int128>(1) << 120;  // beyond any lane: proofs fail
  Int128 out = 0;
  for (int bit = static_cast<int>(msb(m == 0 ? BigInt(1) : m)); bit >= 0; --bit) {
    out = (out << 1) | (bit_test(m, static_cast<unsigned>(bit)) ? 1 : 0);
  }
  return out;
}

CodeRange product_range(const CodeRange& a, const CodeRange& b) {
  const Int128 c[4] = {a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi};
  return {std::min(std::min(c[0], c[1]), std::min(c[2], c[3])), std::max(std::max(c[0], c[1]), std::max(c[2], c[3]))};
}

}  // namespace l1emu::emu::compiled
