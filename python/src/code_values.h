#pragma once
// Raw codes as float64 values for the module's results (raw=False): code x 2^-F, exactly, or not at
// all. A value needing more than 53 significant bits (or below the doubles' range) has no exact
// double; the caller then raises an error that says to ask for the raw codes.
#include <bit>
#include <cmath>
#include <cstdint>
#include <optional>

namespace l1emu::python {

/// 2^-fractional_bits, the factor exact_value multiplies by (computed once per array).
inline double lsb_value(int fractional_bits) { return std::ldexp(1.0, -fractional_bits); }

/// code x 2^-fractional_bits when a double holds it exactly; `lsb` is lsb_value(fractional_bits).
inline std::optional<double> exact_value(std::int64_t code, int fractional_bits, double lsb) {
  if (code == 0) return 0.0;
  const std::uint64_t magnitude = code < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(code) : static_cast<std::uint64_t>(code);
  if ((magnitude >> std::countr_zero(magnitude)) >> 53 != 0) return std::nullopt;  // more than 53 significant bits
  // |code| >= 1 and |F| <= 960: 2^-F is a double and the product stays normal, so it is exact.
  if (fractional_bits >= -960 && fractional_bits <= 960) return static_cast<double>(code) * lsb;
  const double scaled = std::ldexp(static_cast<double>(code), -fractional_bits);
  // Subnormal or zero results lose bits (F beyond about 1022 + 53); infinity cannot happen (|I| <= 1024).
  if (std::ldexp(scaled, fractional_bits) != static_cast<double>(code)) return std::nullopt;
  return scaled;
}

inline std::optional<double> exact_value(std::int64_t code, int fractional_bits) {
  return exact_value(code, fractional_bits, lsb_value(fractional_bits));
}

}  // namespace l1emu::python
