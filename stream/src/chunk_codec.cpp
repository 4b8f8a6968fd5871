#include "l1emu/stream/chunk_codec.h"

#include <libdeflate.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <new>
#include <stdexcept>
#include <string>

namespace l1emu::stream::chunk_codec {
namespace {

#if defined(__x86_64__) && !defined(__clang__)  // __builtin_shuffle is GCC's
// With AVX-512 VBMI a block of 64 bytes, 64 / N elements, is shuffled by one vpermb: the shuffle of
// a decision log's 8-byte columns and the unshuffle of a dataset's floats were 3-5 % of a replay's
// CPU as byte loops. The permutations are the same rule as the loops below (byte j of element e
// to position j x n + e), so both give the same bytes; the elements past the last whole block
// take the loops. Compiled with target attributes in every GCC build and chosen at run time, so
// the tests of every preset run it on the machines that have it.
#define L1EMU_VBMI __attribute__((target("avx512f,avx512bw,avx512vbmi"), always_inline)) inline
#define L1EMU_VBMI_ENTRY __attribute__((target("avx512f,avx512bw,avx512vbmi")))

bool cpu_has_vbmi() {
  static const bool has = __builtin_cpu_supports("avx512vbmi") != 0 && __builtin_cpu_supports("avx512bw") != 0;
  return has;
}

using Bytes64 = std::uint8_t __attribute__((vector_size(64)));

template <std::size_t N>
constexpr std::array<std::uint8_t, 64> shuffle_index() {  // position j * B + e <- byte e * N + j
  constexpr std::size_t kBlock = 64 / N;
  std::array<std::uint8_t, 64> index{};
  for (std::size_t j = 0; j < N; ++j)
    for (std::size_t e = 0; e < kBlock; ++e) index[j * kBlock + e] = static_cast<std::uint8_t>(e * N + j);
  return index;
}

template <std::size_t N>
constexpr std::array<std::uint8_t, 64> unshuffle_index() {  // position e * N + j <- byte j * B + e
  constexpr std::size_t kBlock = 64 / N;
  std::array<std::uint8_t, 64> index{};
  for (std::size_t j = 0; j < N; ++j)
    for (std::size_t e = 0; e < kBlock; ++e) index[e * N + j] = static_cast<std::uint8_t>(j * kBlock + e);
  return index;
}

using Bytes32 = std::uint8_t __attribute__((vector_size(32)));
using Bytes16 = std::uint8_t __attribute__((vector_size(16)));
using Bytes8 = std::uint8_t __attribute__((vector_size(8)));

template <class V>
L1EMU_VBMI V load(const std::uint8_t* p) {
  V v;
  std::memcpy(&v, p, sizeof(V));
  return v;
}

// Two vectors side by side (vinserti: a register operation).
L1EMU_VBMI Bytes16 concat(Bytes8 a, Bytes8 b) { return __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15); }
L1EMU_VBMI Bytes32 concat(Bytes16 a, Bytes16 b) {
  return __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
                                 29, 30, 31);
}
L1EMU_VBMI Bytes64 concat(Bytes32 a, Bytes32 b) {
  return __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28,
                                 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56,
                                 57, 58, 59, 60, 61, 62, 63);
}

// Byte j * B .. j * B + B - 1 of the block from plane j (p + j * n), assembled in registers: filling a
// stack vector piece by piece and loading it whole stalls on store forwarding every block.
template <std::size_t N>
L1EMU_VBMI Bytes64 gather_planes(const std::uint8_t* p, std::size_t n) {
  if constexpr (N == 2) {
    return concat(load<Bytes32>(p), load<Bytes32>(p + n));
  } else if constexpr (N == 4) {
    return concat(concat(load<Bytes16>(p), load<Bytes16>(p + n)), concat(load<Bytes16>(p + 2 * n), load<Bytes16>(p + 3 * n)));
  } else {
    // No lambda for the planes: it would lack the target attribute that load needs to inline.
    return concat(concat(concat(load<Bytes8>(p), load<Bytes8>(p + n)), concat(load<Bytes8>(p + 2 * n), load<Bytes8>(p + 3 * n))),
                  concat(concat(load<Bytes8>(p + 4 * n), load<Bytes8>(p + 5 * n)), concat(load<Bytes8>(p + 6 * n), load<Bytes8>(p + 7 * n))));
  }
}

// A permutation built at compile time as the vector __builtin_shuffle takes (GCC 12 cannot build
// the vector itself in a constant expression).
L1EMU_VBMI Bytes64 as_vector(const std::array<std::uint8_t, 64>& positions) {
  Bytes64 v;
  std::memcpy(&v, positions.data(), 64);
  return v;
}

template <std::size_t N>
L1EMU_VBMI_ENTRY std::size_t shuffle_vbmi(const std::uint8_t* in, std::size_t n, std::uint8_t* out) {
  constexpr std::size_t kBlock = 64 / N;
  const Bytes64 index = as_vector(shuffle_index<N>());
  std::size_t i = 0;
  for (; i + kBlock <= n; i += kBlock) {
    Bytes64 v;
    std::memcpy(&v, in + i * N, 64);
    const Bytes64 w = __builtin_shuffle(v, index);
    for (std::size_t j = 0; j < N; ++j) std::memcpy(out + j * n + i, reinterpret_cast<const std::uint8_t*>(&w) + j * kBlock, kBlock);
  }
  return i;
}

template <std::size_t N>
L1EMU_VBMI_ENTRY std::size_t unshuffle_vbmi(const std::uint8_t* in, std::size_t n, std::uint8_t* out) {
  constexpr std::size_t kBlock = 64 / N;
  const Bytes64 index = as_vector(unshuffle_index<N>());
  std::size_t i = 0;
  for (; i + kBlock <= n; i += kBlock) {
    const Bytes64 v = gather_planes<N>(in + i, n);
    const Bytes64 w = __builtin_shuffle(v, index);
    std::memcpy(out + i * N, &w, 64);
  }
  return i;
}
// The whole blocks' elements, or none where the CPU has no VBMI.
template <std::size_t N>
std::size_t shuffle_blocks(const std::uint8_t* in, std::size_t n, std::uint8_t* out) {
  return cpu_has_vbmi() ? shuffle_vbmi<N>(in, n, out) : 0;
}
template <std::size_t N>
std::size_t unshuffle_blocks(const std::uint8_t* in, std::size_t n, std::uint8_t* out) {
  return cpu_has_vbmi() ? unshuffle_vbmi<N>(in, n, out) : 0;
}
#else
template <std::size_t N>
std::size_t shuffle_blocks(const std::uint8_t*, std::size_t, std::uint8_t*) {
  return 0;
}
template <std::size_t N>
std::size_t unshuffle_blocks(const std::uint8_t*, std::size_t, std::uint8_t*) {
  return 0;
}
#endif

// The element size a compile-time constant: the compiler turns the byte gathers into vector
// shuffles (the generic unshuffle loop was 13 % of a dataset read, more than libdeflate's inflate).
template <std::size_t N>
void shuffle_fixed(const std::uint8_t* in, std::size_t n, std::uint8_t* out) {
  for (std::size_t i = shuffle_blocks<N>(in, n, out); i < n; ++i)
    for (std::size_t j = 0; j < N; ++j) out[j * n + i] = in[i * N + j];
}

template <std::size_t N>
void unshuffle_fixed(const std::uint8_t* in, std::size_t n, std::uint8_t* out) {
  for (std::size_t i = unshuffle_blocks<N>(in, n, out); i < n; ++i)
    for (std::size_t j = 0; j < N; ++j) out[i * N + j] = in[j * n + i];
}

}  // namespace

void shuffle(std::span<const std::uint8_t> in, std::size_t element_size, std::vector<std::uint8_t>& out) {
  out.resize(in.size());
  if (!shuffles(in.size(), element_size)) {
    std::copy(in.begin(), in.end(), out.begin());
    return;
  }
  const std::size_t n = in.size() / element_size;
  switch (element_size) {
    case 2: shuffle_fixed<2>(in.data(), n, out.data()); break;
    case 4: shuffle_fixed<4>(in.data(), n, out.data()); break;
    case 8: shuffle_fixed<8>(in.data(), n, out.data()); break;
    default:
      for (std::size_t j = 0; j < element_size; ++j)
        for (std::size_t i = 0; i < n; ++i) out[j * n + i] = in[i * element_size + j];
  }
  for (std::size_t i = n * element_size; i < in.size(); ++i) out[i] = in[i];
}

void unshuffle(std::span<const std::uint8_t> in, std::size_t element_size, std::span<std::uint8_t> out) {
  if (!shuffles(in.size(), element_size)) {
    std::copy(in.begin(), in.end(), out.begin());
    return;
  }
  const std::size_t n = in.size() / element_size;
  switch (element_size) {
    case 2: unshuffle_fixed<2>(in.data(), n, out.data()); break;
    case 4: unshuffle_fixed<4>(in.data(), n, out.data()); break;
    case 8: unshuffle_fixed<8>(in.data(), n, out.data()); break;
    default:
      for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < element_size; ++j) out[i * element_size + j] = in[j * n + i];
  }
  for (std::size_t i = n * element_size; i < in.size(); ++i) out[i] = in[i];
}

Deflater::Deflater(int level) : level_(level), compressor_(nullptr) {
  if (level < 0 || level > 12) throw std::invalid_argument("chunk_codec::Deflater: level " + std::to_string(level) + " outside 0..12");
  compressor_ = libdeflate_alloc_compressor(level);
  if (compressor_ == nullptr) throw std::bad_alloc();
}

Deflater::~Deflater() { libdeflate_free_compressor(compressor_); }

void Deflater::compress(std::span<const std::uint8_t> in, std::vector<std::uint8_t>& out) {
  out.resize(libdeflate_zlib_compress_bound(compressor_, in.size()));
  const std::size_t size = libdeflate_zlib_compress(compressor_, in.data(), in.size(), out.data(), out.size());
  // 0 means "did not fit", which the bound rules out.
  if (size == 0) throw std::logic_error("chunk_codec::Deflater: output beyond libdeflate's own bound");
  out.resize(size);
}

Inflater::Inflater() : decompressor_(libdeflate_alloc_decompressor()) {
  if (decompressor_ == nullptr) throw std::bad_alloc();
}

Inflater::~Inflater() { libdeflate_free_decompressor(decompressor_); }

Inflater::Status Inflater::decompress(std::span<const std::uint8_t> in, std::span<std::uint8_t> out) {
  std::size_t actual = 0;
  const libdeflate_result r = libdeflate_zlib_decompress(decompressor_, in.data(), in.size(), out.data(), out.size(), &actual);
  if (r == LIBDEFLATE_SUCCESS) return actual == out.size() ? Status::ok : Status::wrong_size;
  if (r == LIBDEFLATE_INSUFFICIENT_SPACE) return Status::wrong_size;
  return Status::corrupt;
}

}  // namespace l1emu::stream::chunk_codec
