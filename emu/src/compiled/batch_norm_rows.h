#pragma once
// BatchNormalization rows with hls4ml's default shape (16-bit data, narrow scales, TRN, a WRAP
// result), on int32 lanes: the exact product x*s as one pmaddwd (x86: one multiply micro-op of
// half the latency of a 32-bit multiply), with the result wrap folded into the shifts.
//
// x and s fit 16 bits, and int32 lanes hold x sign-extended, so with s in the low half of each
// 32-bit weight word (high half 0) the pairwise 16-bit multiply-add gives x*s exactly.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace l1emu::emu::compiled {

struct BatchNorm16Rows {
  /// Paper (hls4ml's normalize rounding twice): y = wrap_W(((x*s) >> first_shift) << align + b),
  /// the first conversion's wrap invisible after the second's (checked by the plan).
  /// Head (rounding once): y = wrap_W((((x*s) << align) + b) >> final_shift).
  bool paper = true;
  int first_shift = 0;  // paper: TRN shift of x*s into the result's fraction (>= 0)
  int align = 0;        // the left shift that aligns the product (or rounded product) with the bias
  int final_shift = 0;  // head: TRN shift of the sum into the result's fraction (>= 0)
  int drop = 0;         // 32 - W for a signed WRAP into W bits; 0 when the sum provably fits
  /// Paper with align == 0 (always so here: a nonzero align would leave the second conversion a
  /// shift, which these rows do not take) and first_shift <= drop (hls4ml's default BatchNorm):
  /// the TRN shift is folded into the wrap's, y = ((x*s) << (drop - first_shift) + (b << drop))
  /// >> drop. The product's first_shift low bits land below bit `drop`, where b << drop has zeros,
  /// so they never carry into the kept bits and the final shift drops them as the TRN would: one
  /// shift per vector fewer (x86: one multiply-port micro-op in four).
  bool folded = false;
  std::vector<std::int32_t> scale;  // per row: the scale code in the low 16 bits, 0 above
  std::vector<std::int32_t> bias;   // per row: the aligned bias code
};

/// y[i * batch + e] for every row i < rows and e < batch (batch a multiple of 16).
void batch_norm_16(const BatchNorm16Rows& k, const std::int32_t* x, std::int32_t* y, std::size_t rows, std::size_t batch);

}  // namespace l1emu::emu::compiled
