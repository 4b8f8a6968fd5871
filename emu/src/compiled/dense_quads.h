#pragma once
// Dense with exact products of 8-bit codes, summed in quads: x86 vpdpbusd (AVX-512 VNNI) multiplies
// the four unsigned bytes of each 32-bit lane by the four signed bytes of the weight lane and adds
// the four products into the lane, half the instructions of the 16-bit pairs (dense_pairs.h) where
// inputs and weights fit 8 bits (AXOL1TL v3's q_dense: ap_fixed<8,6> codes times ap_fixed<6,3>).
//
// Why it is exact. vpdpbusd (not the saturating vpdpbusds) adds to the lane modulo 2^32; each
// product u*w lies in [-255*128, 255*127], four of them fit 32 bits, so each instruction adds the
// exact sum of its four products modulo 2^32. The first operand is unsigned: signed inputs are
// stored as u = x + 128 (in [0, 255]; the byte x xor 0x80), and sum u*w = sum x*w + 128 * sum w, so
// each output's sum starts 128 * sum_i w_ij below the pairs' start (`start`) and ends at the
// value dense_pairs returns, modulo 2^32. Inputs that are unsigned bytes already are stored as they are.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace l1emu::emu::compiled {

struct QuadsDense {
  std::size_t n_in = 0, n_out = 0, n_quads = 0;
  bool offset_inputs = false;         // signed inputs: stored as x + 128, `start` takes it back
  std::vector<std::int32_t> w;        // [q * n_out + j]: the weight codes of inputs 4q..4q+3, byte k for input 4q+k (zero past n_in)
  std::vector<std::int32_t> start;    // per output: the pairs' start - 128 * sum_i w_ij modulo 2^32 (offset_inputs), else the pairs' start

  /// Fills w and start from the weight codes ([i * n_out + j], each in [-128, 127]) and the pairs'
  /// start values (PairsDense::start).
  void prepare(const std::vector<std::int32_t>& weights, std::size_t inputs, std::size_t outputs, bool offset,
               const std::vector<std::int32_t>& pairs_start);
};

/// out[j * batch + e] = the pairs' start[j] + sum over i of x[i][e] * w[i][j] modulo 2^32, as
/// dense_pairs: the `x` rows
/// (int32 codes in [-128, 127], or [0, 255] without offset_inputs) are `batch` apart; `batch` a
/// multiple of 32 and at most 256, n_in at most 256. Needs AVX-512 VNNI (the caller checks).
void dense_quads_vnni(const QuadsDense& dense, const std::int32_t* x, std::size_t batch, std::int32_t* out);

}  // namespace l1emu::emu::compiled
