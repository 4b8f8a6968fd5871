// The slow, exact argument reduction of portable_math.h for |x| >= 2^20 (Payne-Hanek): x * 2/pi
// mod 4 from the bits of 2/pi that matter for x's exponent, with integer arithmetic only.
#include "l1emu/stream/portable_math.h"

#include <array>
#include <bit>
#include <cstdint>

namespace l1emu::stream::portable_math::detail {
namespace {

/// The first 1280 fractional bits of 2/pi (2/pi = 0.A2F9836E 4E441529 ... in hex), from
/// scripts/portable_math_coefficients.py. Enough for any double: the window below starts at most
/// at bit 972 and spans 192 bits.
constexpr std::array<std::uint32_t, 40> kTwoOverPiBits = {
    0xA2F9836E, 0x4E441529, 0xFC2757D1, 0xF534DDC0, 0xDB629599, 0x3C439041, 0xFE5163AB, 0xDEBBC561,
    0xB7246E3A, 0x424DD2E0, 0x06492EEA, 0x09D1921C, 0xFE1DEB1C, 0xB129A73E, 0xE88235F5, 0x2EBB4484,
    0xE99C7026, 0xB45F7E41, 0x3991D639, 0x835339F4, 0x9C845F8B, 0xBDF9283B, 0x1FF897FF, 0xDE05980F,
    0xEF2F118B, 0x5A0A6D1F, 0x6D367ECF, 0x27CB09B7, 0x4F463F66, 0x9E5FEA2D, 0x7527BAC7, 0xEBE5F17B,
    0x3D0739F7, 0x8A5292EA, 0x6BFB5FB1, 0x1F8D5D08, 0x56033046, 0xFC7B6BAB, 0xF0CFBC20, 0x9AF4361D};

/// 32 bits of 2/pi starting at fractional bit i (1-based: bit 1 has weight 1/2).
std::uint32_t two_over_pi_bits(int i) {
  const auto word = static_cast<std::size_t>((i - 1) / 32);
  const int shift = (i - 1) % 32;
  if (shift == 0) return kTwoOverPiBits[word];
  return (kTwoOverPiBits[word] << shift) | (kTwoOverPiBits[word + 1] >> (32 - shift));
}

/// 64 bits of the little-endian 256-bit integer p starting at bit `low` (zeros above bit 255).
std::uint64_t bits_at(const std::array<std::uint32_t, 8>& p, int low) {
  std::uint64_t out = 0;
  for (int b = 0; b < 64; b += 32) {
    const int at = low + b;
    const auto limb = static_cast<std::size_t>(at / 32);
    if (limb >= p.size()) break;
    const int shift = at % 32;
    std::uint64_t v = p[limb] >> shift;
    if (shift != 0 && limb + 1 < p.size()) v |= static_cast<std::uint64_t>(p[limb + 1]) << (32 - shift);
    out |= (v & 0xffffffffULL) << b;
  }
  return out;
}

}  // namespace

Reduced reduce_pio2_large(double x) {
  const bool negative = sign_bit(x);
  const std::uint64_t b = bits(x);
  // |x| = m * 2^e with m a 53-bit integer; |x| >= 2^20 so it is normal and e >= -32.
  const std::uint64_t m = (b & ((std::uint64_t{1} << 52) - 1)) | (std::uint64_t{1} << 52);
  const int e = static_cast<int>((b >> 52) & 0x7ff) - 1075;
  // |x| * 2/pi = sum over the bits b_i of 2/pi of m * b_i * 2^(e - i). Bits with e - i >= 2 add
  // multiples of 4 (nothing mod 4): start at i = e - 1. 192 bits of 2/pi from there leave at least
  // 190 - 53 = 137 correct fractional bits, far more than the closest approach of a double to a
  // multiple of pi/2 (about 2^-61 relative) can cancel.
  const int start = e - 1 > 1 ? e - 1 : 1;
  std::array<std::uint32_t, 6> w{};  // little-endian: w[5] holds bits start .. start + 31
  for (int j = 0; j < 6; ++j) w[static_cast<std::size_t>(5 - j)] = two_over_pi_bits(start + 32 * j);
  const std::array<std::uint64_t, 2> mm = {m & 0xffffffffULL, m >> 32};
  std::array<std::uint32_t, 8> p{};  // m * w, 245 bits
  for (std::size_t i = 0; i < 2; ++i) {
    std::uint64_t carry = 0;
    for (std::size_t j = 0; j < 6; ++j) {
      const std::uint64_t t = mm[i] * w[j] + p[i + j] + carry;
      p[i + j] = static_cast<std::uint32_t>(t);
      carry = t >> 32;
    }
    for (std::size_t k = i + 6; carry != 0 && k < p.size(); ++k) {
      const std::uint64_t t = p[k] + carry;
      p[k] = static_cast<std::uint32_t>(t);
      carry = t >> 32;
    }
  }
  // |x| * 2/pi (mod 4) = p * 2^-f with f fractional bits.
  const int f = 191 + start - e;
  int q = static_cast<int>(bits_at(p, f) & 3);
  std::uint64_t hi = bits_at(p, f - 64), lo = bits_at(p, f - 128);
  double sign = 1.0;
  if ((hi >> 63) != 0) {  // fraction >= 1/2: round q up, fraction - 1 is negative
    ++q;
    sign = -1.0;
    lo = ~lo + 1;
    hi = ~hi + (lo == 0 ? 1 : 0);
  }
  // The fraction's magnitude hi:lo * 2^-128 to a double: normalise, round to 53 bits.
  int scale = 0;
  if (hi == 0) {
    hi = lo;
    lo = 0;
    scale = 64;
  }
  if (hi == 0) return {(negative ? -q : q) & 3, 0.0};
  const int lz = std::countl_zero(hi);
  if (lz != 0) hi = (hi << lz) | (lo >> (64 - lz));
  const std::uint64_t top = (hi >> 11) + ((hi >> 10) & 1);  // <= 2^53: exact in a double
  const double fraction = static_cast<double>(top) * pow2(-53 - lz - scale);
  const double r = sign * fraction * kPio2;
  return {(negative ? -q : q) & 3, negative ? -r : r};
}

}  // namespace l1emu::stream::portable_math::detail
