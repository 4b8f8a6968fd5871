#pragma once
// FNV-1a 64 (the decision log's inputs hash): its constants, shared by the reference hash_codes,
// the portable side-by-side form (score_engine.cpp) and the AVX-512 one (hash_lanes_avx512.cpp).
#include <array>
#include <cstddef>
#include <cstdint>

namespace l1emu::board::fnv1a64 {

inline constexpr std::uint64_t kPrime = 0x100000001b3ULL;
inline constexpr std::uint64_t kBasis = 0xcbf29ce484222325ULL;

// kPrime^n mod 2^64, n = 0..8: a run of n zero bytes is one multiply by kPrime^n.
inline constexpr std::array<std::uint64_t, 9> kPrimePowers = [] {
  std::array<std::uint64_t, 9> p{};
  p[0] = 1;
  for (std::size_t n = 1; n < p.size(); ++n) p[n] = p[n - 1] * kPrime;
  return p;
}();

}  // namespace l1emu::board::fnv1a64
