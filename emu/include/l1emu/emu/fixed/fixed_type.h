#pragma once
// FixedType: a runtime description of a Xilinx ap_fixed / ap_ufixed type.
//
// ap_[u]fixed<W, I, Q, O, N>: W bits in all, I of them integer bits (sign included for ap_fixed),
// so a raw code c means the value c * 2^-F with F = W - I. F may be negative (I > W) or exceed W
// (I < 0). Q is the quantization (rounding) mode, O the overflow mode, N the number of saturation
// bits used by AP_WRAP. Parses and prints the spellings used by Vivado HLS (ap_fixed<...>,
// ap_ufixed<...>, ap_int<W>, ap_uint<W>) and by hls4ml configurations (fixed<...>, ufixed<...>,
// mode names with or without the AP_ prefix).
//
// ap_int<W> / ap_uint<W> are kept as integer types (is_integer): W integer bits, and the rounding
// of Xilinx's ap_int_base: from a fixed-point value ap_fixed_base::to_ap_int_base() drops the
// fraction toward zero (AP_TRN_ZERO) and the low W bits are kept (AP_WRAP); from a float or double,
// ap_int_base(double) truncates toward zero too, but gives +1 for negative values above -0.5
// (conversion.h, from_double).
#include <cstdint>
#include <string>
#include <string_view>

#include "l1emu/emu/fixed/big_int.h"

namespace l1emu::emu {

/// Rounding applied when bits below the destination LSB are dropped (UG902 "Quantization modes").
enum class Quantization : std::uint8_t {
  Trn,        // AP_TRN: floor (toward minus infinity); the default
  Rnd,        // AP_RND: nearest, ties toward plus infinity
  RndZero,    // AP_RND_ZERO: nearest, ties toward zero
  RndMinInf,  // AP_RND_MIN_INF: nearest, ties toward minus infinity
  RndInf,     // AP_RND_INF: nearest, ties away from zero
  RndConv,    // AP_RND_CONV: nearest, ties to even (convergent)
  TrnZero,    // AP_TRN_ZERO: toward zero
};

/// What happens when the rounded value does not fit (UG902 "Overflow modes").
enum class Overflow : std::uint8_t {
  Wrap,     // AP_WRAP: keep the low W bits (the default); with N > 0 the N MSBs saturate
  Sat,      // AP_SAT: clamp to [min, max]
  SatZero,  // AP_SAT_ZERO: 0 on overflow
  SatSym,   // AP_SAT_SYM: clamp signed types to [-max, max]; for ap_ufixed the same as AP_SAT
};

/// The widest type l1emu converts exactly; wider types are rejected with a TypeError.
inline constexpr int kMaxFixedWidth = 128;
/// Integer-bit range accepted; far outside it a type is certainly a typo.
inline constexpr int kMaxAbsIntegerBits = 1024;

struct FixedType {
  int width = 16;
  int integer_bits = 6;
  bool is_signed = true;
  Quantization quantization = Quantization::Trn;
  Overflow overflow = Overflow::Wrap;
  int saturation_bits = 0;
  /// ap_int<W> / ap_uint<W>: then integer_bits == width, quantization TrnZero, overflow Wrap, N 0.
  bool is_integer = false;

  /// F = W - I: the value of code c is c * 2^-F.
  [[nodiscard]] int fractional_bits() const { return width - integer_bits; }
  /// Smallest raw code: -2^(W-1) for ap_fixed, 0 for ap_ufixed.
  [[nodiscard]] BigInt min_code() const;
  /// Largest raw code: 2^(W-1)-1 for ap_fixed, 2^W-1 for ap_ufixed.
  [[nodiscard]] BigInt max_code() const;
  /// True when `code` is a possible register content of this type.
  [[nodiscard]] bool holds(const BigInt& code) const;

  /// Canonical spelling, e.g. "ap_fixed<16,6>", "ap_ufixed<10,6,AP_RND_CONV,AP_SAT>" or "ap_int<8>";
  /// modes and N are written only when they differ from the defaults (as Vivado prints types).
  [[nodiscard]] std::string to_string() const;

  /// Parses any accepted spelling. Where C++ expects an integer (W, I, N), the names of ap_decl.h's
  /// enumerators are accepted with their values, as the compiler converts them (AP_SAT is 0, so
  /// ap_fixed<15,12,AP_RND,AP_SAT,AP_SAT> has N = 0). Throws TypeError naming the text and what is wrong.
  static FixedType parse(std::string_view text);

  /// An ap_int<W> (signed) or ap_uint<W>.
  static FixedType integer(int width, bool is_signed);

  /// Checks the invariants (1 <= W <= 128, |I| bounded, 0 <= N <= W, integer types as above); throws TypeError.
  void validate() const;

  bool operator==(const FixedType&) const = default;
};

[[nodiscard]] std::string_view to_string(Quantization q);
[[nodiscard]] std::string_view to_string(Overflow o);

}  // namespace l1emu::emu
