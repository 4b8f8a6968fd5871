#include "dense_blocked.h"

#include <immintrin.h>

// The 32-byte vector values never cross a non-inlined call, so the AVX calling-convention note of
// -Wpsabi does not apply.
#pragma GCC diagnostic ignored "-Wpsabi"

namespace l1emu::emu::compiled {
namespace {

// Eight int32 lanes; unsigned for the wrapping sums and products (well defined modulo 2^32),
// signed for the arithmetic shifts that floor.
typedef std::int32_t v8i __attribute__((vector_size(32)));
typedef std::uint32_t v8u __attribute__((vector_size(32)));

template <int Kind>  // 0: shift left or none, 1: truncate (floor), 2: any rounding mode
inline v8u rounded(v8u p, const ProductRounding& r) {
  if constexpr (Kind == 0) {
    return p << static_cast<std::uint32_t>(-r.shift);
  } else if constexpr (Kind == 1) {
    return reinterpret_cast<v8u>(reinterpret_cast<v8i>(p) >> r.shift);
  } else {
    const v8i s = reinterpret_cast<v8i>(p);
    v8i bias = (s >> 31) & r.neg_bias;
    bias += r.bias;
    if (r.parity) bias += (s >> r.shift) & 1;
    return reinterpret_cast<v8u>((s + bias) >> r.shift);
  }
}

template <int Kind>
inline void block(const std::int32_t* x, const std::int32_t* w, std::size_t n_in, std::size_t batch,
                  const ProductRounding& r, std::int32_t* acc) {
  for (std::size_t e = 0; e < batch; e += 8) {
    v8u a0{}, a1{}, a2{}, a3{}, a4{}, a5{}, a6{}, a7{};
    for (std::size_t i = 0; i < n_in; ++i) {
      v8u xv;
      __builtin_memcpy(&xv, x + i * batch + e, sizeof(xv));
      const v8u* wi = reinterpret_cast<const v8u*>(w + i * 64);
      a0 += rounded<Kind>(xv * wi[0], r);
      a1 += rounded<Kind>(xv * wi[1], r);
      a2 += rounded<Kind>(xv * wi[2], r);
      a3 += rounded<Kind>(xv * wi[3], r);
      a4 += rounded<Kind>(xv * wi[4], r);
      a5 += rounded<Kind>(xv * wi[5], r);
      a6 += rounded<Kind>(xv * wi[6], r);
      a7 += rounded<Kind>(xv * wi[7], r);
    }
    const v8u out[8] = {a0, a1, a2, a3, a4, a5, a6, a7};
    for (int j = 0; j < 8; ++j) {
      v8u prev;
      __builtin_memcpy(&prev, acc + j * batch + e, sizeof(prev));
      prev += out[j];
      __builtin_memcpy(acc + j * batch + e, &prev, sizeof(prev));
    }
  }
}

// pmaddwd on GCC vectors: the products of the 16-bit halves, summed per 32-bit lane. Written
// portably; GCC turns this pattern into vpmaddwd when AVX2 is enabled.
typedef std::int16_t v16h __attribute__((vector_size(32)));
inline v8u madd(v8u a, v8u b) {
  const v8i ai = reinterpret_cast<v8i>(a), bi = reinterpret_cast<v8i>(b);
  const v8i lo = ((ai << 16) >> 16) * ((bi << 16) >> 16);
  const v8i hi = (ai >> 16) * (bi >> 16);
  return reinterpret_cast<v8u>(lo) + reinterpret_cast<v8u>(hi);
}

}  // namespace

namespace {

// The same loop with the AVX2 instruction itself (GCC does not form vpmaddwd from the portable
// expression); chosen at run time when the CPU has AVX2.
__attribute__((target("avx2"))) void pairs_avx2(const std::int32_t* pairs, const std::int32_t* w, std::size_t n_pairs,
                                                std::size_t batch, std::int32_t* acc) {
  for (std::size_t e = 0; e < batch; e += 8) {
    __m256i a[8];
    for (auto& v : a) v = _mm256_setzero_si256();
    for (std::size_t p = 0; p < n_pairs; ++p) {
      const __m256i xv = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(pairs + p * batch + e));
      const auto* wp = reinterpret_cast<const __m256i*>(w + p * 64);
      for (int j = 0; j < 8; ++j) a[j] = _mm256_add_epi32(a[j], _mm256_madd_epi16(xv, _mm256_load_si256(wp + j)));
    }
    for (int j = 0; j < 8; ++j) {
      auto* dst = reinterpret_cast<__m256i*>(acc + j * batch + e);
      _mm256_storeu_si256(dst, _mm256_add_epi32(_mm256_loadu_si256(dst), a[j]));
    }
  }
}

void pairs_portable(const std::int32_t* pairs, const std::int32_t* w, std::size_t n_pairs, std::size_t batch,
                    std::int32_t* acc) {
  for (std::size_t e = 0; e < batch; e += 8) {
    v8u a0{}, a1{}, a2{}, a3{}, a4{}, a5{}, a6{}, a7{};
    for (std::size_t p = 0; p < n_pairs; ++p) {
      v8u xv;
      __builtin_memcpy(&xv, pairs + p * batch + e, sizeof(xv));
      const v8u* wp = reinterpret_cast<const v8u*>(w + p * 64);
      a0 += madd(xv, wp[0]);
      a1 += madd(xv, wp[1]);
      a2 += madd(xv, wp[2]);
      a3 += madd(xv, wp[3]);
      a4 += madd(xv, wp[4]);
      a5 += madd(xv, wp[5]);
      a6 += madd(xv, wp[6]);
      a7 += madd(xv, wp[7]);
    }
    const v8u out[8] = {a0, a1, a2, a3, a4, a5, a6, a7};
    for (int j = 0; j < 8; ++j) {
      v8u prev;
      __builtin_memcpy(&prev, acc + j * batch + e, sizeof(prev));
      prev += out[j];
      __builtin_memcpy(acc + j * batch + e, &prev, sizeof(prev));
    }
  }
}

}  // namespace

void dense_block_pairs_int32(const std::int32_t* pairs, const std::int32_t* w, std::size_t n_pairs, std::size_t batch,
                             std::int32_t* acc) {
  static const bool avx2 = __builtin_cpu_supports("avx2");
  if (avx2) {
    pairs_avx2(pairs, w, n_pairs, batch, acc);
  } else {
    pairs_portable(pairs, w, n_pairs, batch, acc);
  }
}

__attribute__((target_clones("avx2", "default")))
void dense_block_int32(const std::int32_t* x, const std::int32_t* w, std::size_t n_in, std::size_t batch,
                       const ProductRounding& rounding, std::int32_t* acc) {
  if (rounding.shift <= 0) {
    block<0>(x, w, n_in, batch, rounding, acc);
  } else if (rounding.bias == 0 && rounding.neg_bias == 0 && !rounding.parity) {
    block<1>(x, w, n_in, batch, rounding, acc);
  } else {
    block<2>(x, w, n_in, batch, rounding, acc);
  }
}

}  // namespace l1emu::emu::compiled
