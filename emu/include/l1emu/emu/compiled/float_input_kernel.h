#pragma once
// float32 values to codes of one fixed-point type, many at a time, in a loop the compiler
// vectorizes (no table lookups, no branches on data): what makes Model.predict from float32 (and the replay's feature rows) keep up
// with the compiled engine, which evaluates an event in the time of a few dozen scalar conversions.
//
// A float is sm x 2^(e - 150) with the signed 24-bit integer mantissa sm and raw exponent e, so its
// code in a type with F fraction bits is sm shifted right by s = 150 - F - e with the type's rounding
// (s > 0), or shifted left by -s (s <= 0), then the overflow mode: ap_fixed's float constructor, the
// same rule as emu::from_float and FloatCodeConverter. Rounding is floor((sm + bias) / 2^s) with the
// bias of the mode (LaneConverter's table: TRN 0; RND h; RND_MIN_INF h-1; RND_ZERO h-1, +1 below 0;
// RND_INF h, -1 below 0; RND_CONV h-1 + the parity of floor(sm / 2^s); TRN_ZERO 2^s-1 below 0; h =
// 2^(s-1)). Since |sm| < 2^24, every shift beyond 25 gives what a shift by 25 gives (0 or -1, and
// no ties), so s is clamped to 25 and everything fits int64 lanes. Values this does not cover are
// flagged for the caller's exact scalar path: zeros are exact here, subnormals, infinities, NaN and
// left shifts beyond 38 bits (codes of 2^61 and more) are flagged.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#include "l1emu/emu/compiled/float_kernel_modes.h"
#include "l1emu/emu/fixed/fixed_type.h"

namespace l1emu::emu {

/// One destination type, prepared for float_codes; `supported` false: every value takes the scalar path.
struct FloatKernelType {
  bool supported = false;
  emu::Quantization quantization = emu::Quantization::Trn;
  emu::Overflow overflow = emu::Overflow::Wrap;
  bool is_signed = true;
  int shift_base = 0;              // 150 - F: the right shift of a value with raw exponent e is shift_base - e
  std::int64_t min = 0, max = 0;   // the range overflow clamps or tests (SAT_SYM signed: -max .. max)
  int wrap_shift = 0;              // signed WRAP: 64 - W (sign extension of the low W bits)
  std::uint64_t wrap_mask = 0;     // unsigned WRAP: 2^W - 1

  /// Covers the fixed-point types of at most 62 bits, WRAP without saturation bits or any SAT mode,
  /// |F| <= 1000; ap_int / ap_uint (their (-0.5, 0) -> +1 rule) and the rest take the scalar path.
  static FloatKernelType make(const emu::FixedType& t) {
    FloatKernelType k;
    k.supported = !t.is_integer && t.width <= 62 && !(t.overflow == emu::Overflow::Wrap && t.saturation_bits > 0) &&
                  t.fractional_bits() >= -1000 && t.fractional_bits() <= 1000;
    if (!k.supported) return k;
    k.quantization = t.quantization;
    k.overflow = t.overflow;
    k.is_signed = t.is_signed;
    k.shift_base = 150 - t.fractional_bits();
    k.max = t.is_signed ? (std::int64_t{1} << (t.width - 1)) - 1 : (std::int64_t{1} << t.width) - 1;
    k.min = t.is_signed ? -(std::int64_t{1} << (t.width - 1)) : 0;
    if (t.overflow == emu::Overflow::SatSym && t.is_signed) k.min = -k.max;
    k.wrap_shift = 64 - t.width;
    k.wrap_mask = (std::uint64_t{1} << t.width) - 1;
    return k;
  }
};

namespace float_kernel {

// 64-bit lanes: every type the kernel covers.
template <emu::Quantization Q, emu::Overflow O, bool kSigned>
void convert(const float* in, std::size_t n, const FloatKernelType& t, std::int64_t* out, std::int64_t* slow) {
  const int shift_base = t.shift_base;
  const std::int64_t lo = t.min, hi = t.max;
  const int wrap_shift = t.wrap_shift;
  const std::uint64_t wrap_mask = t.wrap_mask;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t u;  // the float's bits (a memcpy load vectorizes; std::bit_cast of the element did not, GCC 12)
    std::memcpy(&u, in + i, sizeof u);
    const auto e = static_cast<std::int64_t>((u >> 23) & 0xffU);
    const std::int64_t m = static_cast<std::int64_t>(u & 0x7fffffU) | (e != 0 ? std::int64_t{0x800000} : 0);
    const bool negative = (u >> 31) != 0;
    const std::int64_t sm = negative ? -m : m;
    const std::int64_t s = shift_base - e;
    const std::int64_t sr = s < 1 ? 1 : (s > 25 ? 25 : s);      // right shift (used when s > 0)
    const std::int64_t sl = s > 0 ? 0 : (-s > 38 ? 38 : -s);    // left shift (used when s <= 0)
    const std::int64_t h = std::int64_t{1} << (sr - 1);
    std::int64_t bias = 0;
    if constexpr (Q == emu::Quantization::Rnd) bias = h;
    if constexpr (Q == emu::Quantization::RndMinInf) bias = h - 1;
    if constexpr (Q == emu::Quantization::RndZero) bias = negative ? h : h - 1;
    if constexpr (Q == emu::Quantization::RndInf) bias = negative ? h - 1 : h;
    if constexpr (Q == emu::Quantization::RndConv) bias = h - 1 + ((sm >> sr) & 1);
    if constexpr (Q == emu::Quantization::TrnZero) bias = negative ? (std::int64_t{1} << sr) - 1 : 0;
    const std::int64_t right = (sm + bias) >> sr;
    const std::int64_t left = static_cast<std::int64_t>(static_cast<std::uint64_t>(sm) << sl);
    const std::int64_t r = s > 0 ? right : left;
    std::int64_t code = r;
    if constexpr (O == emu::Overflow::Sat || O == emu::Overflow::SatSym) code = r < lo ? lo : (r > hi ? hi : r);
    if constexpr (O == emu::Overflow::SatZero) code = (r < lo || r > hi) ? 0 : r;
    if constexpr (O == emu::Overflow::Wrap) {
      if constexpr (kSigned) {
        code = static_cast<std::int64_t>(static_cast<std::uint64_t>(r) << wrap_shift) >> wrap_shift;
      } else {
        code = static_cast<std::int64_t>(static_cast<std::uint64_t>(r) & wrap_mask);
      }
    }
    out[i] = code;
    // Subnormals, infinities and NaN (raw exponent 0 with a mantissa, 255), left shifts beyond 38.
    slow[i] = ((e == 0) & ((u & 0x7fffffU) != 0)) | (e == 255) | (s < -38);
  }
}

// 32-bit lanes, for types whose codes fit int32 (the compiled engine's narrow inputs): the same
// rule on int32 arithmetic, twice the values per vector. Right shifts as above (|sm| + bias <
// 2^26). A left shift by k: below 8 the code sm x 2^k fits int32 (|sm| < 2^24); from 8 on its
// magnitude is at least 2^31, beyond every code of such a type, so SAT gives the bound of the sign
// and SAT_ZERO 0; WRAP keeps the low W <= 32 bits, which the low 32 bits of sm x 2^k hold (0 once
// k >= 32).
template <emu::Quantization Q, emu::Overflow O, bool kSigned>
void convert(const float* in, std::size_t n, const FloatKernelType& t, std::int32_t* out, std::int32_t* slow) {
  const std::int32_t shift_base = t.shift_base;
  const auto lo = static_cast<std::int32_t>(t.min), hi = static_cast<std::int32_t>(t.max);
  const std::int32_t wrap_shift = t.wrap_shift - 32;  // 32 - W
  const auto wrap_mask = static_cast<std::uint32_t>(t.wrap_mask);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t u;
    std::memcpy(&u, in + i, sizeof u);
    const auto e = static_cast<std::int32_t>((u >> 23) & 0xffU);
    const std::int32_t m = static_cast<std::int32_t>(u & 0x7fffffU) | (e != 0 ? 0x800000 : 0);
    const bool negative = (u >> 31) != 0;
    const std::int32_t sm = negative ? -m : m;
    const std::int32_t s = shift_base - e;
    const std::int32_t sr = s < 1 ? 1 : (s > 25 ? 25 : s);
    const std::int32_t k = s > 0 ? 0 : -s;
    const std::int32_t h = std::int32_t{1} << (sr - 1);
    std::int32_t bias = 0;
    if constexpr (Q == emu::Quantization::Rnd) bias = h;
    if constexpr (Q == emu::Quantization::RndMinInf) bias = h - 1;
    if constexpr (Q == emu::Quantization::RndZero) bias = negative ? h : h - 1;
    if constexpr (Q == emu::Quantization::RndInf) bias = negative ? h - 1 : h;
    if constexpr (Q == emu::Quantization::RndConv) bias = h - 1 + ((sm >> sr) & 1);
    if constexpr (Q == emu::Quantization::TrnZero) bias = negative ? (std::int32_t{1} << sr) - 1 : 0;
    const std::int32_t right = (sm + bias) >> sr;
    std::int32_t code = 0;
    if constexpr (O == emu::Overflow::Wrap) {
      const std::uint32_t shifted = (static_cast<std::uint32_t>(sm) << (k < 31 ? k : 31)) & (k < 32 ? ~0U : 0U);
      const std::uint32_t low = s > 0 ? static_cast<std::uint32_t>(right) : shifted;
      if constexpr (kSigned) {
        code = static_cast<std::int32_t>(low << wrap_shift) >> wrap_shift;
      } else {
        code = static_cast<std::int32_t>(low & wrap_mask);
      }
    } else {
      const bool big = s <= 0 && k >= 8;
      const std::int32_t r = s > 0 ? right : static_cast<std::int32_t>(static_cast<std::uint32_t>(sm) << (k < 8 ? k : 0));
      if constexpr (O == emu::Overflow::SatZero) {
        code = (big || r < lo || r > hi) ? 0 : r;
      } else {
        code = big ? (negative ? lo : hi) : (r < lo ? lo : (r > hi ? hi : r));
      }
    }
    out[i] = code;
    slow[i] = ((e == 0) & ((u & 0x7fffffU) != 0)) | (e == 255);  // subnormals, infinities, NaN
  }
}

}  // namespace float_kernel

/// Codes of `n` floats into out[] (Lane: int64, or int32 for types whose codes fit int32), slow[i]
/// nonzero where out[i] must come from the scalar path instead. `t.supported` must be true.
template <class Lane>
void float_codes(const float* in, std::size_t n, const FloatKernelType& t, Lane* out, Lane* slow) {
  with_modes(t.quantization, t.overflow, t.is_signed,
             [&]<emu::Quantization Q, emu::Overflow O, bool kSigned>() { float_kernel::convert<Q, O, kSigned>(in, n, t, out, slow); });
}

}  // namespace l1emu::emu
