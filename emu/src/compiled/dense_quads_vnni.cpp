// dense_quads on AVX-512 VNNI (x86 vpdpbusd); see dense_quads.h for why the sums are exact. Called
// from the AVX3_DL build of dense_pairs.cpp only, where the CPU has VNNI (checked there).
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "compiled/dense_quads.h"

namespace l1emu::emu::compiled {
namespace {

// Outputs per pass: 8 x 2 int32 accumulators of 16 events, 2 inputs and a weight in registers
// (as dense_pairs_vnni).
constexpr std::size_t kBlock = 8;

#define L1EMU_VNNI __attribute__((target("avx512f,avx512bw,avx512vnni"), always_inline)) inline

template <std::size_t O>
L1EMU_VNNI void block(const QuadsDense& k, const std::int32_t* packed, std::size_t batch, std::size_t j0, std::int32_t* out) {
  for (std::size_t e = 0; e < batch; e += 32) {
    __m512i acc[O][2];
    for (std::size_t j = 0; j < O; ++j) acc[j][0] = acc[j][1] = _mm512_set1_epi32(k.start[j0 + j]);
    for (std::size_t q = 0; q < k.n_quads; ++q) {
      const __m512i x0 = _mm512_load_si512(packed + q * batch + e), x1 = _mm512_load_si512(packed + q * batch + e + 16);
      const std::int32_t* wq = k.w.data() + q * k.n_out + j0;
      for (std::size_t j = 0; j < O; ++j) {
        const __m512i w = _mm512_set1_epi32(wq[j]);
        acc[j][0] = _mm512_dpbusd_epi32(acc[j][0], x0, w);
        acc[j][1] = _mm512_dpbusd_epi32(acc[j][1], x1, w);
      }
    }
    for (std::size_t j = 0; j < O; ++j) {
      _mm512_storeu_si512(out + (j0 + j) * batch + e, acc[j][0]);
      _mm512_storeu_si512(out + (j0 + j) * batch + e + 16, acc[j][1]);
    }
  }
}

}  // namespace

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
  std::size_t j0 = 0;
  for (; j0 + kBlock <= k.n_out; j0 += kBlock) block<kBlock>(k, packed, batch, j0, out);
  switch (k.n_out - j0) {
    case 1: block<1>(k, packed, batch, j0, out); break;
    case 2: block<2>(k, packed, batch, j0, out); break;
    case 3: block<3>(k, packed, batch, j0, out); break;
    case 4: block<4>(k, packed, batch, j0, out); break;
    case 5: block<5>(k, packed, batch, j0, out); break;
    case 6: block<6>(k, packed, batch, j0, out); break;
    case 7: block<7>(k, packed, batch, j0, out); break;
    default: break;
  }
}

}  // namespace l1emu::emu::compiled
