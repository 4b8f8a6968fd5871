#include "l1emu/emu/nn/reduce.h"

#include <bit>

#include "l1emu/emu/fixed/conversion.h"

namespace l1emu::emu {

std::size_t reduce_left_size(std::size_t n) { return std::bit_floor(n - 1); }

BigInt reduce_add(std::span<const BigInt> codes, const FixedType& t) {
  if (codes.size() == 1) return codes[0];
  if (codes.empty()) return 0;
  const std::size_t left = reduce_left_size(codes.size());
  const BigInt a = reduce_add(codes.first(left), t);
  const BigInt b = reduce_add(codes.subspan(left), t);
  return convert(add(ExactValue::of(a, t), ExactValue::of(b, t)), t);
}

}  // namespace l1emu::emu
