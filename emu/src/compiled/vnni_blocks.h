#pragma once
// The register-blocked loop of the AVX-512 VNNI Dense kernels, one for both forms: the pairs
// (vpdpwssd, two 16-bit products per 32-bit lane, dense_pairs_vnni.cpp) and the byte quads
// (vpdpbusd, four 8-bit products per lane, dense_quads_vnni.cpp). Each output's sum starts from its
// start value and adds, per packed group of inputs, the multiply-add of the group's lane with the
// output's weight lane, modulo 2^32; blocks of outputs stay in registers for a pass of 32 events,
// each weight lane broadcast once per pass. Only for files compiled with VNNI target attributes.
#include <immintrin.h>

#include <cstddef>
#include <cstdint>

namespace l1emu::emu::compiled::vnni {

#define L1EMU_VNNI_INLINE __attribute__((target("avx512f,avx512bw,avx512vnni"), always_inline)) inline

// Outputs per pass: 8 x 2 int32 accumulators of 16 events, 2 inputs and a weight in registers.
inline constexpr std::size_t kBlock = 8;

enum class Form { pairs, quads };

/// The weights and start values of a layer as both forms keep them: w[g * n_out + j] is the weight
/// lane of input group g and output j.
struct Layer {
  const std::int32_t* w;
  const std::int32_t* start;
  std::size_t groups, n_out;
};

template <Form F, std::size_t O>
L1EMU_VNNI_INLINE void block(const Layer& k, const std::int32_t* packed, std::size_t batch, std::size_t j0, std::int32_t* out) {
  for (std::size_t e = 0; e < batch; e += 32) {
    __m512i acc[O][2];
    for (std::size_t j = 0; j < O; ++j) acc[j][0] = acc[j][1] = _mm512_set1_epi32(k.start[j0 + j]);
    for (std::size_t g = 0; g < k.groups; ++g) {
      const __m512i x0 = _mm512_load_si512(packed + g * batch + e), x1 = _mm512_load_si512(packed + g * batch + e + 16);
      const std::int32_t* wg = k.w + g * k.n_out + j0;
      for (std::size_t j = 0; j < O; ++j) {
        const __m512i w = _mm512_set1_epi32(wg[j]);
        if constexpr (F == Form::pairs) {
          acc[j][0] = _mm512_dpwssd_epi32(acc[j][0], x0, w);
          acc[j][1] = _mm512_dpwssd_epi32(acc[j][1], x1, w);
        } else {
          acc[j][0] = _mm512_dpbusd_epi32(acc[j][0], x0, w);
          acc[j][1] = _mm512_dpbusd_epi32(acc[j][1], x1, w);
        }
      }
    }
    for (std::size_t j = 0; j < O; ++j) {
      _mm512_storeu_si512(out + (j0 + j) * batch + e, acc[j][0]);
      _mm512_storeu_si512(out + (j0 + j) * batch + e + 16, acc[j][1]);
    }
  }
}

/// Every output: whole blocks of kBlock, then the rest in one block of its own size.
template <Form F>
L1EMU_VNNI_INLINE void all_blocks(const Layer& k, const std::int32_t* packed, std::size_t batch, std::int32_t* out) {
  std::size_t j0 = 0;
  for (; j0 + kBlock <= k.n_out; j0 += kBlock) block<F, kBlock>(k, packed, batch, j0, out);
  switch (k.n_out - j0) {
    case 1: block<F, 1>(k, packed, batch, j0, out); break;
    case 2: block<F, 2>(k, packed, batch, j0, out); break;
    case 3: block<F, 3>(k, packed, batch, j0, out); break;
    case 4: block<F, 4>(k, packed, batch, j0, out); break;
    case 5: block<F, 5>(k, packed, batch, j0, out); break;
    case 6: block<F, 6>(k, packed, batch, j0, out); break;
    case 7: block<F, 7>(k, packed, batch, j0, out); break;
    default: break;
  }
}

}  // namespace l1emu::emu::compiled::vnni
