#pragma once
// The exp-table look-up of hls4ml's KL loss (AE_L1_paper nnet::klloss) on int32 lanes:
// index = clamp(floor((v*scale + offset) / 2^frac), 0, last), out = table[index], with the
// CPU's vector gather (Highway GatherIndex; x86 vpgatherdd) instead of the element-wise loads
// that GCC makes of the same loop (extracts and inserts, most of the layer's time).
#include <cstddef>
#include <cstdint>

namespace l1emu::emu::compiled {

/// out[e] = table[min(max((v[e]*scale + offset) >> frac, 0), last)] for e < n. The caller proves
/// that v*scale + offset fits int32 (make_kl_loss's t_range) and that table holds last + 1 codes;
/// frac >= 0 (a shift of 31 or more gives index 0 for every such t, as the exact floor does).
void gather_clamped_index(const std::int32_t* v, std::size_t n, std::int32_t scale, std::int32_t offset, int frac, std::int32_t last,
                          const std::int32_t* table, std::int32_t* out);

}  // namespace l1emu::emu::compiled
