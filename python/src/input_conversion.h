#pragma once
// Values to raw codes of a FixedType, fast: float32 as hls4ml's test bench converts its inputs
// (ap_fixed's float constructor) and float64 through ap_fixed's double constructor. A binary
// float is a signed integer mantissa m times 2^(e - p): m is a code with p - e fraction bits, so its
// conversion into the type is the lane converter of its exponent (round, then overflow; the
// compiled engine's LaneConverter) applied to m: one table lookup and a few integer operations,
// inline in the caller's loop. Exponents whose converter cannot be proven exact in 64-bit lanes,
// zeros, subnormals and infinities take the specification (emu::from_float / emu::from_double).
// The same scheme as the compiled engine's InputCodeConverter (float only, out of line), for both
// widths and inline, since the Python module converts every input value of every event.
#include <bit>
#include <cstdint>
#include <type_traits>
#include <vector>

#include "l1emu/emu/compiled/lane_converter.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/fixed/fixed_type.h"

namespace l1emu::python {

/// The largest width the fast converters take (the compiled engine's limit).
inline constexpr int kMaxFastWidth = 62;

/// ap_fixed's constructor from `Float` (float or double) into `to` (at most 62 bits wide).
/// NaN is the caller's to reject (emu::from_double throws std::invalid_argument for it).
template <class Float>
class FloatCodeConverter {
  static_assert(std::is_same_v<Float, float> || std::is_same_v<Float, double>);
  using Bits = std::conditional_t<std::is_same_v<Float, float>, std::uint32_t, std::uint64_t>;
  static constexpr int kMantissaBits = std::is_same_v<Float, float> ? 23 : 52;
  static constexpr int kExponentBias = std::is_same_v<Float, float> ? 127 : 1023;
  static constexpr std::size_t kExponents = std::is_same_v<Float, float> ? 256 : 2048;
  static constexpr Bits kMantissaMask = (Bits{1} << kMantissaBits) - 1;

 public:
  explicit FloatCodeConverter(const emu::FixedType& to) : to_(to), by_exponent_(kExponents), prepared_(kExponents, 0) {
    // Every mantissa of an exponent: the range the converter's proofs must cover.
    const std::int64_t top = (std::int64_t{1} << (kMantissaBits + 1)) - 1;
    for (std::size_t raw = 1; raw + 1 < kExponents; ++raw) {
      // ap_int_base(double) maps (-0.5, 0) to +1 (emu::from_double): magnitudes below 0.5, raw
      // exponents up to bias - 2, take the specification's path for integer types.
      if (to.is_integer && static_cast<int>(raw) <= kExponentBias - 2) continue;
      const int fraction_bits = kMantissaBits - (static_cast<int>(raw) - kExponentBias);
      prepared_[raw] = emu::LaneConverter::make(fraction_bits, emu::CodeRange{-top, top}, to_, 64, by_exponent_[raw]) ? 1 : 0;
    }
  }

  [[nodiscard]] std::int64_t operator()(Float value) const {
    const auto bits = std::bit_cast<Bits>(value);
    if (static_cast<Bits>(bits << 1) == 0) return 0;  // +-0: the empty slots, most of an event's features
    const auto raw = static_cast<std::size_t>((bits >> kMantissaBits) & (kExponents - 1));
    if (prepared_[raw] == 0) return exact(value);
    const auto magnitude = static_cast<std::int64_t>((bits & kMantissaMask) | (kMantissaMask + 1));
    return emu::lanes::convert_code<std::int64_t>((bits >> (sizeof(Bits) * 8 - 1)) != 0 ? -magnitude : magnitude, by_exponent_[raw]);
  }

 private:
  [[nodiscard]] std::int64_t exact(Float value) const {
    if constexpr (std::is_same_v<Float, float>) {
      return emu::from_float(value, to_).template convert_to<std::int64_t>();
    } else {
      return emu::from_double(value, to_).template convert_to<std::int64_t>();
    }
  }

  emu::FixedType to_;
  std::vector<emu::LaneConverter> by_exponent_;
  std::vector<std::uint8_t> prepared_;  // 0: the specification's path
};

}  // namespace l1emu::python
