// dense_pairs on AVX-512 VNNI (x86 vpdpwssd): each instruction multiplies the two 16-bit pairs of
// every 32-bit lane and adds both products into the lane, where pmaddwd needs a separate add.
// Exact for the same reason as the plain kernel: products of 16-bit codes are exact in 32 bits and
// the WRAP sum is taken modulo 2^32. Called from the AVX3_DL build of dense_pairs.cpp only.
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "compiled/dense_pairs.h"
#include "compiled/vnni_blocks.h"

namespace l1emu::emu::compiled {

__attribute__((target("avx512f,avx512bw,avx512vnni"))) void dense_pairs_vnni(const PairsDense& k, const std::int32_t* x,
                                                                             std::size_t batch, std::int32_t* out) {
  // Per pair and event: input 2p in the low 16 bits, 2p+1 in the high (zero past n_in).
  alignas(64) std::int32_t packed[128 * 256];
  const __m512i low16 = _mm512_set1_epi32(0xFFFF);
  for (std::size_t p = 0; p < k.n_pairs; ++p) {
    const std::int32_t* lo = x + 2 * p * batch;
    const bool has_hi = 2 * p + 1 < k.n_in;
    for (std::size_t e = 0; e < batch; e += 16) {
      const __m512i hi = has_hi ? _mm512_slli_epi32(_mm512_loadu_si512(lo + batch + e), 16) : _mm512_setzero_si512();
      // 0xF8: a | (b & c)
      _mm512_store_si512(packed + p * batch + e, _mm512_ternarylogic_epi32(hi, _mm512_loadu_si512(lo + e), low16, 0xF8));
    }
  }
  vnni::all_blocks<vnni::Form::pairs>({k.w.data(), k.start.data(), k.n_pairs, k.n_out}, packed, batch, out);
}

}  // namespace l1emu::emu::compiled
