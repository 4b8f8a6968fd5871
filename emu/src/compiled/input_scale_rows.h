#pragma once
// AXOL1TL's InputScale on int32 lanes in one pass per row of codes: row i's offset, unscaled_t
// assignment and shift as ((x << left[i]) - offset[i]) >> right[i] (elementwise_kernels.cpp,
// plan_one_pass, proves it exact), then the result_t assignment, all in registers. The shifts
// by a per-row count use the per-lane shift instructions where the target has them (one
// micro-op on Intel, against two for a shift by an xmm count), so the row costs a few vector
// operations per 16 codes instead of several passes over the array.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace l1emu::emu::compiled {

struct InputScaleRows {
  // The result_t assignment in lane_converter.h's numbering (FusedConverter<int32_t, R, O>):
  // rounding 0 none, 1 floor((c + bias) / 2^shift), 2 the same plus neg_bias for c < 0,
  // 3 the same plus the parity bit (RND_CONV), 4 c << left_shift; overflow 0 none, 1 signed wrap
  // (drop = 32 - W), 2 unsigned wrap (& mask), 3 clamp to [lo, hi].
  int rounding = 0, overflow = 0;
  int shift = 0, left_shift = 0, drop = 0;
  std::int32_t bias = 0, neg_bias = 0, lo = 0, hi = 0, mask = 0;
  std::vector<std::int32_t> left, offset, right;  // per row
};

/// True when the rows kernel has the result conversion's shape (rounding 0-4, overflow 0-3).
inline bool input_scale_rows_shape(int rounding, int overflow) { return rounding >= 0 && rounding <= 4 && overflow >= 0 && overflow <= 3; }

/// y[i * batch + e] for every row i < rows and e < batch (batch a multiple of 16).
void input_scale_rows(const InputScaleRows& k, const std::int32_t* x, std::int32_t* y, std::size_t rows, std::size_t batch);

}  // namespace l1emu::emu::compiled
