#include "hash_lanes_avx512.h"

#include "fnv1a64.h"

#include <algorithm>
#include <bit>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace l1emu::board::detail {

#if defined(__x86_64__)
namespace {

using fnv1a64::kBasis;
using fnv1a64::kPrime;
using fnv1a64::kPrimePowers;
constexpr std::size_t kVectors = 8;                // 8 chains of 8 events: groups of 64 (two per compiled batch)
constexpr std::size_t kGroup = kVectors * 8;

}  // namespace

bool has_hash_lanes_avx512() { return __builtin_cpu_supports("avx512f") != 0 && __builtin_cpu_supports("avx512dq") != 0; }

// Each lane runs hash_codes' chain for its event: per code, byte by byte from the lowest, h = (h ^
// byte) * P, with the zero top bytes of a group's codes folded into one multiply by P^n (a zero
// byte's step is a multiply by P; a negative code has none, its 8 bytes are stepped). Per byte
// and vector: a shift of the codes, one vpternlogq for h ^ (codes & 0xff), one vpmullq; the codes
// are loaded (32-bit ones sign-extended to int64) once per value, not once per byte as the
// generic loop did, which was most of its instructions. The zero-masked intrinsics throughout: GCC 12 warns
// that the plain ones read an uninitialised vector.
template <class Code>
__attribute__((target("avx512f,avx512dq"))) void hash_lanes(const Code* lanes, std::size_t stride, std::size_t width, std::size_t count,
                                                            std::uint64_t* out) {
  const __m512i prime = _mm512_set1_epi64(static_cast<long long>(kPrime));
  const __m512i low_byte = _mm512_set1_epi64(0xff);
  alignas(64) Code padded[kGroup];
  for (std::size_t first = 0; first < count; first += kGroup) {
    const std::size_t n = std::min(kGroup, count - first);
    __m512i h[kVectors];
    for (auto& v : h) v = _mm512_set1_epi64(static_cast<long long>(kBasis));
    for (std::size_t k = 0; k < width; ++k) {
      const Code* codes = lanes + k * stride + first;
      if (n < kGroup) {  // the last batch's few events: zeros after them, dropped below
        std::fill(std::begin(padded), std::end(padded), 0);
        std::copy(codes, codes + n, padded);
        codes = padded;
      }
      __m512i v[kVectors];
      __m512i any = _mm512_setzero_si512();
      for (std::size_t j = 0; j < kVectors; ++j) {
        if constexpr (sizeof(Code) == 4) {
          v[j] = _mm512_maskz_cvtepi32_epi64(0xFF, _mm256_loadu_si256(reinterpret_cast<const __m256i*>(codes + 8 * j)));
        } else {
          v[j] = _mm512_loadu_si512(codes + 8 * j);
        }
        any = _mm512_or_si512(any, v[j]);
      }
      // The bytes to step: those below the group's highest set bit (a sign bit: all 8).
      alignas(64) std::uint64_t lanes_or[8];
      _mm512_store_si512(lanes_or, any);
      std::uint64_t bits = 0;
      for (const std::uint64_t x : lanes_or) bits |= x;
      const std::size_t steps = (static_cast<std::size_t>(std::bit_width(bits)) + 7) / 8;
      for (std::size_t b = 0; b < steps; ++b) {
        for (std::size_t j = 0; j < kVectors; ++j) {
          // 0x78: a ^ (b & c)
          h[j] = _mm512_mullo_epi64(_mm512_ternarylogic_epi64(h[j], v[j], low_byte, 0x78), prime);
          v[j] = _mm512_maskz_srli_epi64(0xFF, v[j], 8);
        }
      }
      if (steps < 8) {
        const __m512i rest = _mm512_set1_epi64(static_cast<long long>(kPrimePowers[8 - steps]));
        for (auto& hv : h) hv = _mm512_mullo_epi64(hv, rest);
      }
    }
    alignas(64) std::uint64_t result[kGroup];
    for (std::size_t j = 0; j < kVectors; ++j) _mm512_store_si512(result + 8 * j, h[j]);
    std::copy(result, result + n, out + first);
  }
}
void hash_lanes_avx512(const std::int32_t* lanes, std::size_t stride, std::size_t width, std::size_t count, std::uint64_t* out) {
  hash_lanes(lanes, stride, width, count, out);
}

void hash_lanes_avx512(const std::int64_t* lanes, std::size_t stride, std::size_t width, std::size_t count, std::uint64_t* out) {
  hash_lanes(lanes, stride, width, count, out);
}
#else
bool has_hash_lanes_avx512() { return false; }
void hash_lanes_avx512(const std::int32_t*, std::size_t, std::size_t, std::size_t, std::uint64_t*) {}
void hash_lanes_avx512(const std::int64_t*, std::size_t, std::size_t, std::size_t, std::uint64_t*) {}
#endif

}  // namespace l1emu::board::detail
