#pragma once
// nnet::relu (y = x > 0 ? x->result_t : 0) as one conversion with a clamp at zero, where that is
// the same function: half the operations of the compare-and-select form on every lane.
//
// Why it is exact. Let r = round(x) be the rounding step of x -> result_t (lane_converter.h):
// floor((x + b) / 2^s) with 0 <= b <= 2^s - 1 for every mode and sign (TRN 0; RND h; RND_MIN_INF
// h-1; RND_ZERO h-1, h for x < 0; RND_INF h, h-1 for x < 0; RND_CONV h-1 plus a parity bit, at most
// h; TRN_ZERO 0, 2^s - 1 for x < 0; h = 2^(s-1)), or x * 2^-s for s <= 0. For x <= 0 that gives
// r <= 0, and for x > 0 it gives r >= 0 (the bias is non-negative for x >= 0). With SAT or SAT_SYM
// (or no overflow step at all), x -> result_t is clamp(r, lo, hi) with lo <= 0; so
//   x > 0:  clamp(r, lo, hi) = min(r, hi) = clamp(r, 0, hi)   (r >= 0 >= lo)
//   x <= 0: 0                              = clamp(r, 0, hi)   (r <= 0 <= hi)
// hls4ml's quantized ReLU result types (ap_ufixed<W,I,AP_RND_CONV,AP_SAT> in AXOL1TL) are of this
// kind. WRAP and SAT_ZERO are not (a wrapped or zeroed r is not clamp(r, 0, hi)): no clamp form.
#include <cstdint>

#include "l1emu/emu/compiled/lane_converter.h"

namespace l1emu::emu::compiled {

/// The converter computing relu(x) for `positive` (x -> result_t) as clamp(round(x), 0, hi), or
/// false where that is not the same function.
inline bool relu_as_clamp(const LaneConverter& positive, LaneConverter& out) {
  const bool saturates = positive.overflow == Overflow::Sat || positive.overflow == Overflow::SatSym;
  if (positive.check_overflow && !saturates) return false;
  if (positive.min > 0 || positive.max < 0) return false;  // every type holds 0; kept as a guard
  out = positive;
  out.overflow = Overflow::Sat;
  out.saturation_bits = 0;
  out.min = 0;
  // Without an overflow step every rounded code is already <= max; the clamp's upper bound is then
  // max all the same (make() proved rounded.hi <= max).
  out.check_overflow = true;
  return true;
}

}  // namespace l1emu::emu::compiled
