#pragma once
// Raw codes as float64 values for the module's results (raw=False): code x 2^-F, exactly, or not at
// all. A value needing more than 53 significant bits (or below the doubles' range) has no exact
// double; the caller then raises an error that says to ask for the raw codes.
#include <bit>
#include <cmath>
#include <cstdint>
#include <optional>

namespace l1emu::python {

/// code x 2^-fractional_bits when a double holds it exactly.
inline std::optional<double> exact_value(std::int64_t code, int fractional_bits) {
  if (code == 0) return 0.0;
  const std::uint64_t magnitude = code < 0 ? std::uint64_t{0} - static_cast<std::uint64_t>(code) : static_cast<std::uint64_t>(code);
  if ((magnitude >> std::countr_zero(magnitude)) >> 53 != 0) return std::nullopt;  // more than 53 significant bits
  const double scaled = std::ldexp(static_cast<double>(code), -fractional_bits);
  // Subnormal or zero results lose bits (F beyond about 1022 + 53); infinity cannot happen (|I| <= 1024).
  if (std::ldexp(scaled, fractional_bits) != static_cast<double>(code)) return std::nullopt;
  return scaled;
}

}  // namespace l1emu::python
