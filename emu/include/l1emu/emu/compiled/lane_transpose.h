#pragma once
// A batch of events, row-major (count rows of width codes), into the compiled engine's lanes
// (value k of event e at k * kLanes + e). Where the compiler targets AVX2 or better (the release
// preset's -march=native), 8 x 8 blocks are transposed in vector registers with GCC's vector
// extensions (shuffles the compiler maps to the instruction set), about four times faster than
// element by element on the machine of the README's Benchmarks; elsewhere (the portable dev and ci
// builds) the shuffles would be emulated, so the element loop runs. Both give the same lanes.
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace l1emu::emu {

template <class Lane>
void transpose_into_lanes(const Lane* codes, std::size_t count, std::size_t width, std::size_t lanes_per_value, Lane* lanes) {
  std::size_t e0 = 0;
#if defined(__AVX2__)
  if constexpr (sizeof(Lane) == 4) {
    typedef std::int32_t Vec __attribute__((vector_size(32)));
    typedef std::int32_t Index __attribute__((vector_size(32)));
    for (; e0 + 8 <= count; e0 += 8) {
      std::size_t k0 = 0;
      for (; k0 + 8 <= width; k0 += 8) {
        Vec r[8], a[8], b[8];
        for (std::size_t i = 0; i < 8; ++i) std::memcpy(&r[i], codes + (e0 + i) * width + k0, sizeof(Vec));
        // Interleave 32-bit pairs, then 64-bit pairs, then 128-bit halves.
        for (std::size_t i = 0; i < 8; i += 2) {
          a[i] = __builtin_shuffle(r[i], r[i + 1], Index{0, 8, 1, 9, 4, 12, 5, 13});
          a[i + 1] = __builtin_shuffle(r[i], r[i + 1], Index{2, 10, 3, 11, 6, 14, 7, 15});
        }
        for (std::size_t i = 0; i < 8; i += 4) {
          for (std::size_t j = 0; j < 2; ++j) {
            b[i + j] = __builtin_shuffle(a[i + j], a[i + j + 2], Index{0, 1, 8, 9, 4, 5, 12, 13});
            b[i + j + 2] = __builtin_shuffle(a[i + j], a[i + j + 2], Index{2, 3, 10, 11, 6, 7, 14, 15});
          }
        }
        for (std::size_t j = 0; j < 4; ++j) {
          r[j] = __builtin_shuffle(b[j], b[j + 4], Index{0, 1, 2, 3, 8, 9, 10, 11});
          r[j + 4] = __builtin_shuffle(b[j], b[j + 4], Index{4, 5, 6, 7, 12, 13, 14, 15});
        }
        constexpr std::size_t column[8] = {0, 2, 1, 3, 4, 6, 5, 7};  // the network leaves columns 1/2 and 5/6 swapped
        for (std::size_t i = 0; i < 8; ++i) std::memcpy(lanes + (k0 + column[i]) * lanes_per_value + e0, &r[i], sizeof(Vec));
      }
      for (std::size_t e = e0; e < e0 + 8; ++e) {
        for (std::size_t k = k0; k < width; ++k) lanes[k * lanes_per_value + e] = codes[e * width + k];
      }
    }
  }
#endif
  // Row by row: sequential reads, stores a lane row apart.
  for (std::size_t e = e0; e < count; ++e) {
    for (std::size_t k = 0; k < width; ++k) lanes[k * lanes_per_value + e] = codes[e * width + k];
  }
}

}  // namespace l1emu::emu
