// dense_quads on AVX-512 VNNI (x86 vpdpbusd); see dense_quads.h for why the sums are exact. Called
// from the AVX3_DL build of dense_pairs.cpp only, where the CPU has VNNI (checked there).
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "compiled/dense_quads.h"
#include "compiled/vnni_blocks.h"

namespace l1emu::emu::compiled {

__attribute__((target("avx512f,avx512bw,avx512vnni"))) void dense_quads_vnni(const QuadsDense& k, const std::int32_t* x, std::size_t batch,
                                                                             std::int32_t* out) {
  // Per quad and event: the low bytes of inputs 4q..4q+3 in bytes 0..3 (zero past n_in, where the
  // weight bytes are zero too), each xor 0x80 for signed inputs (x + 128 for x in [-128, 127]).
  alignas(64) std::int32_t packed[64 * 256];
  const __m512i byte0 = _mm512_set1_epi32(0xFF), byte2 = _mm512_set1_epi32(0xFF0000);
  const __m512i flip = _mm512_set1_epi32(k.offset_inputs ? static_cast<std::int32_t>(0x80808080U) : 0);
  const __m512i zero = _mm512_setzero_si512();
  for (std::size_t q = 0; q < k.n_quads; ++q) {
    const std::int32_t* row = x + 4 * q * batch;
    const std::size_t rows = k.n_in - 4 * q < 4 ? k.n_in - 4 * q : 4;
    for (std::size_t e = 0; e < batch; e += 16) {
      const __m512i b0 = _mm512_loadu_si512(row + e);
      const __m512i b1 = rows > 1 ? _mm512_loadu_si512(row + batch + e) : zero;
      const __m512i b2 = rows > 2 ? _mm512_loadu_si512(row + 2 * batch + e) : zero;
      const __m512i b3 = rows > 3 ? _mm512_loadu_si512(row + 3 * batch + e) : zero;
      // 0xF8: a | (b & c). low: b1 << 8 | b0's byte (bits 16..31 replaced below); high: b3 << 24 | b2's byte << 16.
      const __m512i low = _mm512_ternarylogic_epi32(_mm512_slli_epi32(b1, 8), b0, byte0, 0xF8);
      const __m512i high = _mm512_ternarylogic_epi32(_mm512_slli_epi32(b3, 24), _mm512_slli_epi32(b2, 16), byte2, 0xF8);
      // The low 16-bit word of each lane from `low`, the high one from `high`; then the offset.
      const __m512i quad = _mm512_mask_blend_epi16(0xAAAAAAAAU, low, high);
      _mm512_store_si512(packed + q * batch + e, _mm512_xor_si512(quad, flip));
    }
  }
  vnni::all_blocks<vnni::Form::quads>({k.w.data(), k.start.data(), k.n_quads, k.n_out}, packed, batch, out);
}

}  // namespace l1emu::emu::compiled
