#pragma once
// Dense with exact products of 16-bit codes (products keep every bit: the accumulator's LSB is at
// most the product's), summed in pairs: x86 pmaddwd multiplies two 16-bit pairs and adds them
// into one 32-bit lane, so each event's lane holds inputs 2p and 2p+1 and each weight lane the
// matching two weights. Blocks of outputs stay in registers for a pass of events, each weight pair
// broadcast once per pass; the vector width is chosen at run time (Highway dynamic dispatch).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "compiled/dense_quads.h"

namespace l1emu::emu::compiled {

struct PairsDense {
  std::size_t n_in = 0, n_out = 0, n_pairs = 0;
  std::vector<std::int32_t> w;  // [p * n_out + j]: weight code of input 2p (low 16 bits), of 2p+1 (high)
  // Per output: the value its sum starts from (the layer's bias where the epilogue would add it
  // unshifted: the add is then free, in the accumulator's first value), modulo 2^32.
  std::vector<std::int32_t> start;
};

/// out[j * batch + e] = start[j] + sum over i of x[i][e] * w[i][j] modulo 2^32 for every j < n_out and e <
/// batch. `x` rows (int32 codes that fit 16 bits) are `batch` apart; `batch` must be a multiple of
/// 32 and at most 256, n_in at most 256. `quads`, when given, is the same layer as byte quads (its
/// inputs and weights fit 8 bits, dense_quads.h): taken where the chosen instruction set has VNNI,
/// the same sums in half the multiply-adds; elsewhere the pairs.
void dense_pairs(const PairsDense& dense, const std::int32_t* x, std::size_t batch, std::int32_t* out, const QuadsDense* quads = nullptr);

/// The same with AVX-512 VNNI (vpdpwssd: multiply and add in one instruction; batch a multiple of 32).
void dense_pairs_vnni(const PairsDense& dense, const std::int32_t* x, std::size_t batch, std::int32_t* out);

}  // namespace l1emu::emu::compiled
