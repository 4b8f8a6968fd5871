#pragma once
// Clock domains with exact cycle arithmetic. A frequency is a rational number of hertz (numerator
// and denominator integers), so the time of tick n, n / f seconds, is an exact rational, and the
// first tick of one clock at or after a tick of another is ceil(m * f_a / f_b), computed on 128-bit
// integers. Why not integer picoseconds: the LHC bunch crossing is 1/40.0789 MHz = 24950.787...
// ps, not an integer, so a picosecond grid would drift by up to 0.5 ps per BX (about 2 ns per
// orbit) and eventually put an event into the wrong cycle; rationals never drift.
#include <cstdint>
#include <string>
#include <string_view>

namespace l1emu::board {

/// A positive rational, kept in lowest terms.
struct Rational {
  std::int64_t num = 1;
  std::int64_t den = 1;
  /// Throws ConfigError for a zero denominator or a non-positive value.
  static Rational make(std::int64_t num, std::int64_t den);
  /// Parses a decimal like "200", "40.0789" or "240.4734" exactly (at most 12 decimals).
  static Rational parse_decimal(std::string_view text);
  [[nodiscard]] double value() const { return static_cast<double>(num) / static_cast<double>(den); }
  friend bool operator==(const Rational&, const Rational&) = default;
};

class ClockDomain {
 public:
  ClockDomain(std::string name, Rational hz);
  /// `mhz` as written in a scenario ("200", "40.0789").
  static ClockDomain from_mhz(std::string name, std::string_view mhz);

  [[nodiscard]] const std::string& name() const { return name_; }
  [[nodiscard]] const Rational& hz() const { return hz_; }
  [[nodiscard]] double mhz() const { return hz_.value() / 1e6; }
  [[nodiscard]] double period_ns() const { return 1e9 / hz_.value(); }

  /// The first tick of this clock at or after tick `tick` of `other` (exact).
  [[nodiscard]] std::uint64_t first_tick_at_or_after(const ClockDomain& other, std::uint64_t tick) const;
  /// Time of tick `a` of this clock minus tick `b` of `other`, in ns (exact rational, then rounded
  /// to double once).
  [[nodiscard]] double ns_between(std::uint64_t a, const ClockDomain& other, std::uint64_t b) const;

 private:
  std::string name_;
  Rational hz_;
};

/// The LHC bunch-crossing clock, 40.0789 MHz (shared/FACTS.md section 1).
[[nodiscard]] ClockDomain lhc_bx_clock();

}  // namespace l1emu::board
