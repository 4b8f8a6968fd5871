#include "input_conversion.h"

#include <bit>

#include "l1emu/emu/fixed/conversion.h"

namespace l1emu::python {
namespace {

constexpr int kExponentBias = 1023;
constexpr int kMantissaBits = 52;
constexpr std::uint64_t kMantissaMask = (std::uint64_t{1} << kMantissaBits) - 1;

// ap_int_base(double) maps (-0.5, 0) to +1 (emu::from_double): values below 0.5 in magnitude,
// raw exponents up to bias - 2, take the specification's path for integer types.
bool needs_exact_path(const emu::FixedType& to, int raw_exponent) { return to.is_integer && raw_exponent <= kExponentBias - 2; }

}  // namespace

DoubleCodeConverter::DoubleCodeConverter(const emu::FixedType& to) : to_(to), by_exponent_(2048), prepared_(2048, false) {
  // Every 53-bit mantissa of an exponent: the range the converter's proofs must cover.
  const std::int64_t top = (std::int64_t{1} << (kMantissaBits + 1)) - 1;
  for (int raw = 1; raw < 2047; ++raw) {
    if (needs_exact_path(to, raw)) continue;
    const auto r = static_cast<std::size_t>(raw);
    prepared_[r] = emu::LaneConverter::make(kMantissaBits - (raw - kExponentBias), emu::CodeRange{-top, top}, to_, 64, by_exponent_[r]);
  }
}

std::int64_t DoubleCodeConverter::operator()(double value) const {
  const auto bits = std::bit_cast<std::uint64_t>(value);
  if ((bits << 1) == 0) return 0;  // +-0
  const auto raw = static_cast<std::size_t>((bits >> kMantissaBits) & 0x7ff);
  if (!prepared_[raw]) return emu::from_double(value, to_).convert_to<std::int64_t>();
  const auto magnitude = static_cast<std::int64_t>((bits & kMantissaMask) | (kMantissaMask + 1));
  return emu::lanes::convert_code<std::int64_t>((bits >> 63) != 0 ? -magnitude : magnitude, by_exponent_[raw]);
}

}  // namespace l1emu::python
