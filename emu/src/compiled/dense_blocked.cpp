#include "dense_blocked.h"


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

// The clones' resolver is an ifunc that runs while the program is being relocated, before a
// sanitizer's runtime is up: ThreadSanitizer builds (instrumented resolver) crash there, so they
// get the portable version only.
#if defined(__SANITIZE_THREAD__)
#define L1EMU_DENSE_BLOCK_CLONES
#else
#define L1EMU_DENSE_BLOCK_CLONES __attribute__((target_clones("avx2", "default")))
#endif

}  // namespace

L1EMU_DENSE_BLOCK_CLONES
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
