// dense_pairs on AVX-512 VNNI (x86 vpdpwssd): each instruction multiplies the two 16-bit pairs of
// every 32-bit lane and adds both products into the lane, where pmaddwd needs a separate add.
// Exact for the same reason as the plain kernel: products of 16-bit codes are exact in 32 bits and
// the WRAP sum is taken modulo 2^32. Called from the AVX3_DL build of dense_pairs.cpp only.
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "compiled/dense_pairs.h"

namespace l1emu::emu::compiled {
namespace {

// Outputs per pass: 8 x 2 int32 accumulators of 16 events, 2 inputs and a weight in registers.
constexpr std::size_t kBlock = 8;

#define L1EMU_VNNI __attribute__((target("avx512f,avx512bw,avx512vnni"), always_inline)) inline

template <std::size_t O>
L1EMU_VNNI void block(const PairsDense& k, const std::int32_t* packed, std::size_t batch, std::size_t j0, std::int32_t* out) {
  for (std::size_t e = 0; e < batch; e += 32) {
    __m512i acc[O][2];
    for (std::size_t j = 0; j < O; ++j) acc[j][0] = acc[j][1] = _mm512_set1_epi32(k.start[j0 + j]);
    for (std::size_t p = 0; p < k.n_pairs; ++p) {
      const __m512i x0 = _mm512_load_si512(packed + p * batch + e), x1 = _mm512_load_si512(packed + p * batch + e + 16);
      const std::int32_t* wp = k.w.data() + p * k.n_out + j0;
      for (std::size_t j = 0; j < O; ++j) {
        const __m512i w = _mm512_set1_epi32(wp[j]);
        acc[j][0] = _mm512_dpwssd_epi32(acc[j][0], x0, w);
        acc[j][1] = _mm512_dpwssd_epi32(acc[j][1], x1, w);
      }
    }
    for (std::size_t j = 0; j < O; ++j) {
      _mm512_storeu_si512(out + (j0 + j) * batch + e, acc[j][0]);
      _mm512_storeu_si512(out + (j0 + j) * batch + e + 16, acc[j][1]);
    }
  }
}

}  // namespace

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
