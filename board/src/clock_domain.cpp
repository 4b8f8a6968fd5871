#include "l1emu/board/clock_domain.h"

#include <cstdint>
#include <limits>

#include <charconv>
#include <numeric>

#include <fmt/format.h>

#include "l1emu/board/error.h"

namespace l1emu::board {

// GCC/Clang 128-bit integers (__extension__: not ISO C++, hence the marker for -Wpedantic).
__extension__ typedef unsigned __int128 Wide;
__extension__ typedef __int128 SignedWide;

Rational Rational::make(std::int64_t num, std::int64_t den) {
  if (den == 0 || num <= 0 || den < 0) throw ConfigError(fmt::format("frequency {}/{} must be positive", num, den));
  const std::int64_t g = std::gcd(num, den);
  return {num / g, den / g};
}

Rational Rational::parse_decimal(std::string_view text) {
  const auto bad = [&] { return ConfigError(fmt::format("'{}' is not a positive decimal number (at most 12 decimals)", text)); };
  const auto dot = text.find('.');
  const std::string_view whole = text.substr(0, dot);
  const std::string_view frac = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  if (whole.empty() || frac.size() > 12 || (dot != std::string_view::npos && frac.empty())) throw bad();
  std::int64_t w = 0;
  std::int64_t f = 0;
  if (auto [p, ec] = std::from_chars(whole.data(), whole.data() + whole.size(), w); ec != std::errc{} || p != whole.data() + whole.size() || w < 0) {
    throw bad();
  }
  if (!frac.empty()) {
    if (auto [p, ec] = std::from_chars(frac.data(), frac.data() + frac.size(), f); ec != std::errc{} || p != frac.data() + frac.size() || f < 0) {
      throw bad();
    }
  }
  std::int64_t den = 1;
  for (std::size_t i = 0; i < frac.size(); ++i) den *= 10;
  if (w > (INT64_MAX - f) / den) throw bad();
  const std::int64_t num = w * den + f;
  if (num <= 0) throw bad();
  return make(num, den);
}

ClockDomain::ClockDomain(std::string name, Rational hz) : name_(std::move(name)), hz_(Rational::make(hz.num, hz.den)) {}

ClockDomain ClockDomain::from_mhz(std::string name, std::string_view mhz) {
  const Rational r = Rational::parse_decimal(mhz);
  if (r.num > INT64_MAX / 1000000) throw ConfigError(fmt::format("clock {} MHz is too large", mhz));
  return {std::move(name), Rational::make(r.num * 1000000, r.den)};
}

std::uint64_t ClockDomain::first_tick_at_or_after(const ClockDomain& other, std::uint64_t tick) const {
  // t = tick / f_o = tick * d_o / n_o; our tick n satisfies n / f >= t <=> n >= tick * n_f * d_o / (d_f * n_o).
  const Wide num = Wide{tick} * static_cast<Wide>(hz_.num) * static_cast<Wide>(other.hz_.den);
  const Wide den = static_cast<Wide>(hz_.den) * static_cast<Wide>(other.hz_.num);
  return static_cast<std::uint64_t>((num + den - 1) / den);
}

double ClockDomain::ns_between(std::uint64_t a, const ClockDomain& other, std::uint64_t b) const {
  // a / f - b / f_o = (a * d_f * n_o - b * d_o * n_f) / (n_f * n_o), exact in 128 bits.
  const SignedWide lhs = static_cast<SignedWide>(a) * hz_.den * other.hz_.num;
  const SignedWide rhs = static_cast<SignedWide>(b) * other.hz_.den * hz_.num;
  const SignedWide den = static_cast<SignedWide>(hz_.num) * other.hz_.num;
  const SignedWide diff = lhs - rhs;
  // Integer ns part exactly, then the remainder as a fraction. A replay asks this once per event,
  // where the operands fit 64 bits (a latency of a few hundred ns): the same quotient and remainder
  // from a 64-bit division, which is several times cheaper than the 128-bit one.
  const SignedWide scaled = diff * 1000000000;
  constexpr SignedWide kMax64 = std::numeric_limits<std::int64_t>::max();
  if (scaled <= kMax64 && scaled >= -kMax64 && den <= kMax64) {
    const auto s64 = static_cast<std::int64_t>(scaled), d64 = static_cast<std::int64_t>(den);
    const std::int64_t whole_ns = s64 / d64;
    const std::int64_t rem = s64 - whole_ns * d64;
    return static_cast<double>(whole_ns) + static_cast<double>(rem) / static_cast<double>(d64);
  }
  const SignedWide whole_ns = scaled / den;
  const SignedWide rem = scaled - whole_ns * den;
  return static_cast<double>(whole_ns) + static_cast<double>(rem) / static_cast<double>(den);
}

ClockDomain lhc_bx_clock() { return {"lhc_bx", Rational::make(40078900, 1)}; }

}  // namespace l1emu::board
