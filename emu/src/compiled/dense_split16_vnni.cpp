// dense_split16 on AVX-512 VNNI (x86 vpdpbusd): the linear part of each truncated product runs as
// byte dot products, four inputs per instruction. With 8-bit weights and s <= 8, split x at bit 8:
// x = a*2^8 + c (0 <= c < 256, a a signed byte), so
//   floor(x*w / 2^s) = a*w * 2^(8-s) + floor(c*w / 2^s).
// The first term is linear: sum_i (a_i + 128)*w_i - 128*sum_i w_i, exact in vpdpbusd's int32 lanes
// (unsigned bytes a+128 times signed weight bytes). The second is mulhi16(c << p, w << q) with
// p + q = 16 - s, one 16-bit multiply per product as in the plain split kernel, which this one
// halves the multiplies of. Called from the AVX3_DL build of dense_split16.cpp only.
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

#include "compiled/dense_split16.h"

#pragma GCC diagnostic ignored "-Wpsabi"  // vectors never cross a non-inlined call

namespace l1emu::emu::compiled {
namespace {

// Outputs per pass. The linear sums run in passes of 2 vectors of 16 events (12 int32
// accumulators); 4 vectors per pass (24 accumulators) made g++ 12 shuffle and spill registers and
// measured 20 % slower on Zen 4.
constexpr std::size_t kBlock = 6;
constexpr std::size_t kLinearVectors = 2;

#define L1EMU_VNNI __attribute__((target("avx512f,avx512bw,avx512vnni"), always_inline)) inline

// Linear sums of outputs j0..j0+O for the 64 events at e: lin[jj][0..64), in passes of V vectors
// of 16 events (O*V accumulators, V inputs and a weight stay in registers).
template <std::size_t O, std::size_t V>
L1EMU_VNNI void linear_block(const Split16Dense& k, const std::uint32_t* quads, std::size_t batch, std::size_t e, std::size_t j0,
                             std::int32_t (*lin)[64]) {
  for (std::size_t sub = 0; sub < 64; sub += 16 * V) {
    __m512i acc[O][V];
    for (std::size_t j = 0; j < O; ++j) {
      for (auto& v : acc[j]) v = _mm512_set1_epi32(k.vnni.lin_init[j0 + j]);
    }
    for (std::size_t q = 0; q < k.vnni.quads; ++q) {
      const std::uint32_t* row = quads + q * batch + e + sub;
      __m512i p[V];
      for (std::size_t v = 0; v < V; ++v) p[v] = _mm512_load_si512(row + 16 * v);
      const std::int32_t* wq = k.vnni.wq.data() + q * k.n_out + j0;
      for (std::size_t j = 0; j < O; ++j) {
        const __m512i w = _mm512_set1_epi32(wq[j]);
        for (std::size_t v = 0; v < V; ++v) acc[j][v] = _mm512_dpbusd_epi32(acc[j][v], p[v], w);
      }
    }
    for (std::size_t j = 0; j < O; ++j) {
      for (std::size_t v = 0; v < V; ++v) _mm512_store_si512(lin[j] + sub + 16 * v, acc[j][v]);
    }
  }
}

// The truncated low parts of outputs j0..j0+O for the 64 events at e, combined with the linear
// sums and the bias into the int32 output rows (16-bit accumulator codes, sign-extended). The low
// rows hold two events per dword (event e+k in the low half, e+16+k in the high half; see
// dense_split16_vnni), so each 16-bit sum lands in place for the int32 rows without a shuffle.
template <std::size_t O>
L1EMU_VNNI void low_block_and_combine(const Split16Dense& k, const std::int32_t* low, std::size_t batch, std::size_t e, std::size_t j0,
                                      std::int32_t (*lin)[64], std::int32_t* out) {
  __m512i acc[O][2];
  for (std::size_t j = 0; j < O; ++j) acc[j][0] = acc[j][1] = _mm512_set1_epi16(k.bias[j0 + j]);
  for (std::size_t i = 0; i < k.n_in; ++i) {
    const std::int32_t* pairs = low + (i * batch + e) / 2;
    const __m512i c0 = _mm512_load_si512(pairs), c1 = _mm512_load_si512(pairs + 16);
    const std::int16_t* wn = k.vnni.wn.data() + i * k.n_out + j0;
    for (std::size_t j = 0; j < O; ++j) {
      const __m512i w = _mm512_set1_epi16(wn[j]);
      acc[j][0] = _mm512_add_epi16(acc[j][0], _mm512_mulhi_epi16(c0, w));
      acc[j][1] = _mm512_add_epi16(acc[j][1], _mm512_mulhi_epi16(c1, w));
    }
  }
  const __m128i lin_shift = _mm_cvtsi32_si128(k.vnni.lin_shift + 16);
  const __m512i high_halves = _mm512_set1_epi32(static_cast<int>(0xFFFF0000U));
  for (std::size_t j = 0; j < O; ++j) {
    std::int32_t* row = out + (j0 + j) * batch + e;
    // (lin << lin_shift) + low modulo 2^16, sign-extended: both terms at the top of the dword.
    for (int h = 0; h < 2; ++h) {
      const __m512i first = _mm512_add_epi32(_mm512_sll_epi32(_mm512_load_si512(lin[j] + 32 * h), lin_shift), _mm512_slli_epi32(acc[j][h], 16));
      const __m512i second = _mm512_add_epi32(_mm512_sll_epi32(_mm512_load_si512(lin[j] + 32 * h + 16), lin_shift),
                                              _mm512_and_si512(acc[j][h], high_halves));
      _mm512_storeu_si512(row + 32 * h, _mm512_srai_epi32(first, 16));
      _mm512_storeu_si512(row + 32 * h + 16, _mm512_srai_epi32(second, 16));
    }
  }
}

// Input row i at event e (zeros past n_in: a lambda would not inherit the target attribute).
L1EMU_VNNI __m512i load_row(const Split16Dense& k, const std::int32_t* x, std::size_t batch, std::size_t i, std::size_t e) {
  return i < k.n_in ? _mm512_loadu_si512(x + i * batch + e) : _mm512_setzero_si512();
}

template <std::size_t O>
L1EMU_VNNI void block(const Split16Dense& k, const std::uint32_t* quads, const std::int32_t* low, std::size_t batch, std::size_t j0,
                      std::int32_t* out) {
  alignas(64) std::int32_t lin[O][64];
  for (std::size_t e = 0; e < batch; e += 64) {
    linear_block<O, kLinearVectors>(k, quads, batch, e, j0, lin);
    low_block_and_combine<O>(k, low, batch, e, j0, lin, out);
  }
}

}  // namespace

__attribute__((target("avx512f,avx512bw,avx512vnni"))) void dense_split16_vnni(const Split16Dense& k, const std::int32_t* x,
                                                                               std::size_t batch, std::int32_t* out) {
  alignas(64) std::uint32_t quads[64 * 256];  // per quad of inputs and event: four bytes a + 128
  alignas(64) std::int32_t low[256 * 128];   // per input and pair of events: c << p in each half
  // x fits 16 bits, so a + 128 = ((x >> 8) + 128) mod 256 is x's second byte with its top bit
  // flipped: the four inputs of a quad are masked into place and flipped once.
  const __m512i byte = _mm512_set1_epi32(0xFF), second_byte = _mm512_set1_epi32(0xFF00), flip = _mm512_set1_epi32(static_cast<int>(0x80808080U));
  for (std::size_t q = 0; q < k.vnni.quads; ++q) {
    const std::size_t i0 = 4 * q;
    for (std::size_t e = 0; e < batch; e += 16) {
      const __m512i x0 = load_row(k, x, batch, i0, e), x1 = load_row(k, x, batch, i0 + 1, e);
      const __m512i x2 = load_row(k, x, batch, i0 + 2, e), x3 = load_row(k, x, batch, i0 + 3, e);
      // 0xF8: a | (b & c), so each step ors one masked byte into the dword.
      __m512i packed = _mm512_and_si512(_mm512_srli_epi32(x0, 8), byte);
      packed = _mm512_ternarylogic_epi32(packed, x1, second_byte, 0xF8);
      packed = _mm512_ternarylogic_epi32(packed, _mm512_slli_epi32(x2, 8), _mm512_slli_epi32(second_byte, 8), 0xF8);
      packed = _mm512_ternarylogic_epi32(packed, _mm512_slli_epi32(x3, 16), _mm512_slli_epi32(second_byte, 16), 0xF8);
      // Bytes of the padding inputs (i >= n_in) meet zero weights: their value does not matter.
      _mm512_store_si512(quads + q * batch + e, _mm512_xor_si512(packed, flip));
    }
  }
  // Low bytes c << p, events e+k and e+16+k in the low and high halves of one dword.
  const __m512i p = _mm512_set1_epi32(k.vnni.p), p_high = _mm512_set1_epi32(k.vnni.p + 16);
  const __m512i low_field = _mm512_set1_epi32(static_cast<int>(0xFFU << k.vnni.p));
  const __m512i high_field = _mm512_set1_epi32(static_cast<int>(0xFFU << (k.vnni.p + 16)));
  for (std::size_t i = 0; i < k.n_in; ++i) {
    for (std::size_t e = 0; e < batch; e += 32) {
      const __m512i first = _mm512_and_si512(_mm512_sllv_epi32(_mm512_loadu_si512(x + i * batch + e), p), low_field);
      const __m512i pair = _mm512_ternarylogic_epi32(first, _mm512_sllv_epi32(_mm512_loadu_si512(x + i * batch + e + 16), p_high), high_field, 0xF8);
      _mm512_store_si512(low + (i * batch + e) / 2, pair);
    }
  }
  std::size_t j0 = 0;
  for (; j0 + kBlock <= k.n_out; j0 += kBlock) block<kBlock>(k, quads, low, batch, j0, out);
  switch (k.n_out - j0) {
    case 1: block<1>(k, quads, low, batch, j0, out); break;
    case 2: block<2>(k, quads, low, batch, j0, out); break;
    case 3: block<3>(k, quads, low, batch, j0, out); break;
    case 4: block<4>(k, quads, low, batch, j0, out); break;
    case 5: block<5>(k, quads, low, batch, j0, out); break;
    default: break;
  }
}

}  // namespace l1emu::emu::compiled
