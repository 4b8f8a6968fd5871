#pragma once
// The hot loop of Dense on int32 lanes with a WRAP accumulator: register-blocked over 8 outputs x
// 8 events, so each input lane vector is loaded once per 8 outputs and the 8 accumulators stay in
// registers. Accumulation is modulo 2^32 (order-free for WRAP; the caller wraps to accum_t once).
// Built for the baseline ISA and for AVX2, picked at run time (GCC target_clones).
#include <cstddef>
#include <cstdint>

namespace l1emu::emu::compiled {

/// Rounding of each product before it is summed: floor((p + bias [+ neg_bias if p < 0]
/// [+ bit `shift` of p if parity]) / 2^shift) for shift > 0, p << -shift for shift <= 0.
struct ProductRounding {
  int shift = 0;
  std::int32_t bias = 0;
  std::int32_t neg_bias = 0;
  bool parity = false;
};

/// acc[j][e] (8 x batch, j < 8) += sum over i of round(x[i][e] * w[i][j]) for e < batch, where
/// x rows are `batch` lanes apart and w holds, per input, 8 weights each repeated 8 times (one
/// lane vector per weight, so the multiply reads it straight from memory; zeros for missing
/// outputs). `batch` must be a multiple of 8.
void dense_block_int32(const std::int32_t* x, const std::int32_t* w, std::size_t n_in, std::size_t batch,
                       const ProductRounding& rounding, std::int32_t* acc);

}  // namespace l1emu::emu::compiled
