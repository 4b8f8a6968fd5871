#pragma once
// LaneConverter: an ap_fixed assignment compiled to integer operations on raw codes, applied to a
// whole lane array (one value of many events) so the loops vectorize.
//
// Every rounding mode is floor((c + bias) / 2^s) with a bias that depends only on the mode, the
// sign of c and (for RND_CONV) the parity of the truncated code:
//   TRN 0; RND h; RND_MIN_INF h-1; RND_ZERO h-1 (+1 if c<0); RND_INF h (-1 if c<0);
//   RND_CONV h-1 (+1 if floor(c/2^s) is odd); TRN_ZERO 0 (+2^s-1 if c<0), with h = 2^(s-1).
// Overflow is then applied to the rounded code as in the reference (emu/src/fixed/conversion.cpp).
// The plan builder proves with code ranges that every intermediate fits the lane type `W`.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <utility>

#include "l1emu/emu/fixed/fixed_type.h"

namespace l1emu::emu {

/// A 128-bit integer for plan-time range proofs (a GNU extension, hence __extension__).
__extension__ typedef __int128 Int128;

/// An inclusive range of integer codes (for plan-time overflow proofs). Held in Int128 so that
/// proofs about 64-bit lanes cannot themselves overflow.
struct CodeRange {
  Int128 lo = 0;
  Int128 hi = 0;
  bool operator==(const CodeRange&) const = default;
};

/// The range of a type's codes.
[[nodiscard]] CodeRange code_range(const FixedType& t);
/// True when every value of `r` fits in a signed integer of `bits` bits.
[[nodiscard]] bool fits_signed(const CodeRange& r, int bits);

struct LaneConverter {
  int shift = 0;            // > 0: drop `shift` fraction bits with rounding; < 0: multiply by 2^-shift
  std::int64_t bias = 0;    // rounding bias for c >= 0
  std::int64_t neg_bias = 0;// added to bias when c < 0
  bool parity = false;      // RND_CONV: add the low bit of floor(c / 2^shift)
  Overflow overflow = Overflow::Wrap;
  bool check_overflow = true;  // false when the rounded range provably fits the destination
  bool is_signed = true;
  int width = 16;
  int saturation_bits = 0;
  std::int64_t min = 0, max = 0;  // destination code range
  CodeRange rounded;              // range of the rounded codes (before overflow handling)

  bool operator==(const LaneConverter&) const = default;

  /// Builds the converter from codes with `source_frac` fractional bits lying in `source` into `to`.
  /// Returns false when `lane_bits` (32 or 64) cannot hold every intermediate.
  static bool make(int source_frac, const CodeRange& source, const FixedType& to, int lane_bits, LaneConverter& out);

  /// The destination range as a CodeRange.
  [[nodiscard]] CodeRange result_range() const { return {min, max}; }
};

namespace lanes {

template <class W>
using Unsigned = std::make_unsigned_t<W>;

/// Rounding step on one code (vectorizable; no branches on data).
template <class W>
inline W round_code(W c, const LaneConverter& k) {
  if (k.shift == 0) return c;
  if (k.shift < 0) return static_cast<W>(static_cast<Unsigned<W>>(c) << -k.shift);
  const W negative = c >> (sizeof(W) * 8 - 1);  // all ones when c < 0
  W b = static_cast<W>(k.bias + (negative & static_cast<W>(k.neg_bias)));
  if (k.parity) b = static_cast<W>(b + ((c >> k.shift) & 1));
  return static_cast<W>(c + b) >> k.shift;
}

/// Overflow step on one rounded code.
template <class W>
inline W overflow_code(W v, const LaneConverter& k) {
  if (!k.check_overflow) return v;
  const W lo = static_cast<W>(k.min), hi = static_cast<W>(k.max);
  switch (k.overflow) {
    case Overflow::Sat:
      return std::clamp(v, lo, hi);
    case Overflow::SatSym:
      return std::clamp(v, k.is_signed ? static_cast<W>(-hi) : lo, hi);
    case Overflow::SatZero:
      return (v < lo || v > hi) ? W{0} : v;
    case Overflow::Wrap:
      break;
  }
  const int drop = static_cast<int>(sizeof(W) * 8) - k.width;
  W wrapped;
  if (k.is_signed) {
    wrapped = drop > 0 ? static_cast<W>(static_cast<W>(static_cast<Unsigned<W>>(v) << drop) >> drop) : v;
  } else {
    wrapped = drop > 0 ? static_cast<W>(static_cast<Unsigned<W>>(v) & (static_cast<Unsigned<W>>(-1) >> drop)) : v;
  }
  if (k.saturation_bits == 0) return wrapped;
  if (v >= lo && v <= hi) return v;
  // AP_WRAP with N saturation bits (see apply_overflow in conversion.cpp).
  auto pattern = static_cast<Unsigned<W>>(wrapped);
  const Unsigned<W> one = 1;
  const bool negative = v < 0;
  if (k.is_signed) {
    pattern = negative ? (pattern | (one << (k.width - 1))) : (pattern & ~(one << (k.width - 1)));
    for (int b = k.width - k.saturation_bits; b <= k.width - 2; ++b) {
      pattern = negative ? (pattern & ~(one << b)) : (pattern | (one << b));
    }
    const W as_signed = static_cast<W>(pattern << drop) >> drop;
    return drop > 0 ? as_signed : static_cast<W>(pattern);
  }
  for (int b = k.width - k.saturation_bits; b <= k.width - 1; ++b) pattern |= one << b;
  return static_cast<W>(pattern);
}

template <class W>
inline W convert_code(W c, const LaneConverter& k) {
  return overflow_code(round_code(c, k), k);
}

/// A LaneConverter specialised at compile time on its shape, so that a kernel's arithmetic and
/// its conversions fuse into one vectorised pass. R is the rounding: 0 none, 1 floor((c+bias)/2^s),
/// 2 the same plus neg_bias for c < 0, 3 the same plus the parity bit (RND_CONV), 4 c << -s.
/// O is the overflow step: 0 none, 1 signed wrap, 2 unsigned wrap, 3 clamp to [lo, hi] (SAT, and
/// SAT_SYM with lo = -max), 4 SAT_ZERO, 5 wrap with saturation bits (the per-code function).
/// Every converter has a specialisation and every specialisation is branch-free but the last.
template <class W, int R, int O>
struct FusedConverter {
  const LaneConverter* k;
  W bias, neg_bias, lo, hi;
  Unsigned<W> mask;
  int s, drop;

  W operator()(W c) const {
    constexpr int kBits = static_cast<int>(sizeof(W) * 8);
    W r;
    if constexpr (R == 0) {
      r = c;
    } else if constexpr (R == 1) {
      r = static_cast<W>(static_cast<W>(c + bias) >> s);
    } else if constexpr (R == 2) {
      r = static_cast<W>(static_cast<W>(c + bias + ((c >> (kBits - 1)) & neg_bias)) >> s);
    } else if constexpr (R == 3) {
      r = static_cast<W>(static_cast<W>(c + bias + ((c >> s) & 1)) >> s);
    } else {
      r = static_cast<W>(static_cast<Unsigned<W>>(c) << -s);
    }
    if constexpr (O == 0) {
      return r;
    } else if constexpr (O == 1) {
      return static_cast<W>(static_cast<W>(static_cast<Unsigned<W>>(r) << drop) >> drop);
    } else if constexpr (O == 2) {
      return static_cast<W>(static_cast<Unsigned<W>>(r) & mask);
    } else if constexpr (O == 3) {
      // lo <= hi for every type (SAT_SYM's -max included). As a max and a min GCC emits vpmaxsd
      // and vpminsd; the nested selects became a compare, a masked min and a move.
      return std::min(std::max(r, lo), hi);
    } else if constexpr (O == 4) {
      return (r < lo || r > hi) ? W{0} : r;
    } else {
      return overflow_code(r, *k);
    }
  }
};

/// The specialisation that matches a converter: its rounding R and overflow O (FusedConverter's
/// numbering).
struct ConverterShape {
  int rounding = 0;
  int overflow = 5;
};
inline ConverterShape converter_shape(const LaneConverter& k) {
  ConverterShape c;
  if (k.shift < 0) {
    c.rounding = 4;
  } else if (k.shift > 0) {
    c.rounding = k.parity ? 3 : (k.neg_bias != 0 ? 2 : 1);  // make() never sets both
  }
  if (!k.check_overflow) {
    c.overflow = 0;
  } else if (k.overflow == Overflow::Wrap && k.saturation_bits == 0) {
    c.overflow = k.is_signed ? 1 : 2;
  } else if (k.overflow == Overflow::Sat || k.overflow == Overflow::SatSym) {
    c.overflow = 3;
  } else if (k.overflow == Overflow::SatZero) {
    c.overflow = 4;
  }
  return c;
}

/// The FusedConverter of shape (R, O) for `k` (SAT_SYM's lower bound is -max).
template <class W, int R, int O>
FusedConverter<W, R, O> make_fused(const LaneConverter& k) {
  const W hi = static_cast<W>(k.max);
  const W lo = k.overflow == Overflow::SatSym && k.is_signed ? static_cast<W>(-hi) : static_cast<W>(k.min);
  const int drop = static_cast<int>(sizeof(W) * 8) - k.width;
  return FusedConverter<W, R, O>{&k, static_cast<W>(k.bias), static_cast<W>(k.neg_bias), lo, hi,
                                 static_cast<Unsigned<W>>(static_cast<Unsigned<W>>(-1) >> drop), k.shift, drop};
}

/// Calls f(FusedConverter<W, R, O>{...}) with the specialisation that matches `k`.
template <class W, class F>
void with_converter(const LaneConverter& k, F&& f) {
  const ConverterShape shape = converter_shape(k);
  const auto by_overflow = [&](auto r) {
    constexpr int R = decltype(r)::value;
    switch (shape.overflow) {
      case 0: f(make_fused<W, R, 0>(k)); break;
      case 1: f(make_fused<W, R, 1>(k)); break;
      case 2: f(make_fused<W, R, 2>(k)); break;
      case 3: f(make_fused<W, R, 3>(k)); break;
      case 4: f(make_fused<W, R, 4>(k)); break;
      default: f(make_fused<W, R, 5>(k)); break;
    }
  };
  switch (shape.rounding) {
    case 0: by_overflow(std::integral_constant<int, 0>{}); break;
    case 1: by_overflow(std::integral_constant<int, 1>{}); break;
    case 2: by_overflow(std::integral_constant<int, 2>{}); break;
    case 3: by_overflow(std::integral_constant<int, 3>{}); break;
    default: by_overflow(std::integral_constant<int, 4>{}); break;
  }
}

/// True for the shapes hls4ml's defaults give (no rounding or TRN; no overflow check, signed WRAP
/// or SAT): kernels that fuse two conversions in one pass instantiate only pairs of these.
inline bool is_common_shape(const LaneConverter& k) {
  const ConverterShape c = converter_shape(k);
  return (c.rounding == 0 || c.rounding == 1) && (c.overflow == 0 || c.overflow == 1 || c.overflow == 3);
}

/// with_converter restricted to converters of a common shape (is_common_shape(k) required).
template <class W, class F>
void with_common_converter(const LaneConverter& k, F&& f) {
  const ConverterShape shape = converter_shape(k);
  const auto by_overflow = [&](auto r) {
    constexpr int R = decltype(r)::value;
    switch (shape.overflow) {
      case 0: f(make_fused<W, R, 0>(k)); break;
      case 1: f(make_fused<W, R, 1>(k)); break;
      default: f(make_fused<W, R, 3>(k)); break;
    }
  };
  if (shape.rounding == 0) {
    by_overflow(std::integral_constant<int, 0>{});
  } else {
    by_overflow(std::integral_constant<int, 1>{});
  }
}

/// Converts n codes from `in` to `out` (which may be the same array): one branch-free loop with
/// the converter's shape chosen once (with_converter), so the compiler vectorizes it.
template <class W, class C>
void convert_in_place(W* __restrict codes, std::size_t n, C c) {
  for (std::size_t i = 0; i < n; ++i) codes[i] = c(codes[i]);
}
template <class W, class C>
void convert_into(const W* __restrict in, W* __restrict out, std::size_t n, C c) {
  for (std::size_t i = 0; i < n; ++i) out[i] = c(in[i]);
}

template <class W>
void convert(const W* in, W* out, std::size_t n, const LaneConverter& k) {
  // Restrict pointers (in place, or two arrays that do not overlap) let the loop vectorize
  // without run-time alias checks.
  with_converter<W>(k, [&](auto c) {
    if (in == out) {
      convert_in_place(out, n, c);
    } else {
      convert_into(in, out, n, c);
    }
  });
}

}  // namespace lanes
}  // namespace l1emu::emu
