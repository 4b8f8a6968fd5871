// Property tests of the fixed-point conversions against the independent exact reference in
// fixed_reference.h: millions of random (source type, destination type, source code) triples over
// every quantization and overflow mode, with draws biased toward range edges and exact ties;
// random doubles through from_double; to_decimal read back as an exact rational.
//
// Every test is seeded (std::mt19937_64, fixed seeds) and prints its seed, so a failure reproduces
// by re-running the failing test (--gtest_filter=...). To explore beyond the fixed seeds, set
// L1EMU_FIXED_SEED=<n> (every random test then uses seed n) and L1EMU_FIXED_CASES=<n> (case count
// of every random test), e.g. L1EMU_FIXED_SEED=11 L1EMU_FIXED_CASES=3000000.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <limits>
#include <random>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "fixed_reference.h"
#include "l1emu/emu/fixed/conversion.h"
#include "l1emu/emu/fixed/exact_value.h"
#include "l1emu/emu/fixed/fixed_type.h"

namespace l1emu::emu {
namespace {

using reference::cpp_int;
using reference::cpp_rational;

constexpr std::array kQuantizations = {Quantization::Trn,       Quantization::Rnd,    Quantization::RndZero,
                                       Quantization::RndMinInf, Quantization::RndInf, Quantization::RndConv,
                                       Quantization::TrnZero};
constexpr std::array kOverflows = {Overflow::Wrap, Overflow::Sat, Overflow::SatZero, Overflow::SatSym};
// The coverage counters index these arrays by the enumerator's value.
constexpr bool indexed_by_value() {
  for (std::size_t i = 0; i < kQuantizations.size(); ++i) {
    if (static_cast<std::size_t>(kQuantizations[i]) != i) return false;
  }
  for (std::size_t i = 0; i < kOverflows.size(); ++i) {
    if (static_cast<std::size_t>(kOverflows[i]) != i) return false;
  }
  return true;
}
static_assert(indexed_by_value());

// The library's BigInt and the reference's cpp_int share a backend but differ in the
// expression-template option; convert explicitly so no arithmetic mixes the two.
BigInt to_big(const cpp_int& x) { return BigInt(x.str()); }
cpp_int to_ref(const BigInt& x) { return cpp_int(x.str()); }

std::uint64_t env_or(const char* name, std::uint64_t fallback) {
  const char* text = std::getenv(name);
  return (text != nullptr && *text != '\0') ? std::stoull(text) : fallback;
}

class Random {
 public:
  explicit Random(std::uint64_t seed) : engine_(seed) {}

  int uniform(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(engine_); }
  bool chance(int numerator, int denominator) { return uniform(0, denominator - 1) < numerator; }
  std::uint64_t word() { return engine_(); }

  /// n uniformly random bits as a non-negative integer in [0, 2^n).
  cpp_int bits(int n) {
    cpp_int x = 0;
    for (int done = 0; done < n; done += 64) x = (x << 64) | cpp_int(engine_());
    const int extra = ((n + 63) / 64) * 64 - n;
    return x >> extra;
  }

  /// A width, biased toward narrow types (half of the draws in 1..16) but covering 1..128.
  int width() { return chance(1, 2) ? uniform(1, 16) : uniform(1, kMaxFixedWidth); }

  /// A random type with I in [-8, W+8], any Q and O, and for WRAP sometimes N > 0.
  FixedType type(int w) {
    FixedType t;
    t.width = w;
    t.integer_bits = uniform(-8, w + 8);
    t.is_signed = chance(1, 2);
    t.quantization = kQuantizations[static_cast<std::size_t>(uniform(0, kQuantizations.size() - 1))];
    t.overflow = kOverflows[static_cast<std::size_t>(uniform(0, kOverflows.size() - 1))];
    t.saturation_bits = (t.overflow == Overflow::Wrap && chance(1, 3)) ? uniform(1, w) : 0;
    return t;
  }
  FixedType type() { return type(width()); }

 private:
  std::mt19937_64 engine_;
};

/// The code whose W-bit register pattern is `pattern` (taken modulo 2^W).
cpp_int from_pattern(cpp_int pattern, const FixedType& t) {
  const cpp_int modulus = cpp_int(1) << t.width;
  pattern %= modulus;
  if (pattern < 0) pattern += modulus;
  if (t.is_signed && bit_test(pattern, t.width - 1)) pattern -= modulus;
  return pattern;
}

/// A destination type close to `from` (similar width, LSB a few bits coarser or finer), so that
/// ties and overflows of the rounded value are frequent.
FixedType nearby_type(Random& rng, const FixedType& from, int coarser_lo, int coarser_hi) {
  FixedType to = rng.type(std::clamp(from.width + rng.uniform(-6, 3), 1, kMaxFixedWidth));
  const int f = from.fractional_bits() - rng.uniform(coarser_lo, coarser_hi);
  to.integer_bits = std::clamp(to.width - f, -kMaxAbsIntegerBits, kMaxAbsIntegerBits);
  return to;
}

struct Case {
  FixedType from;
  FixedType to;
  cpp_int code;
};

/// One random triple. Draw kinds: uniform code; exact tie (dropped bits 10..0) or one off it;
/// a value at the edges of the destination range; the source type's own extremes.
Case draw_case(Random& rng) {
  Case c;
  const int kind = rng.uniform(0, 9);
  c.from = rng.type();
  const int ws = c.from.width;
  if (kind <= 3) {  // uniform code, independent destination
    c.to = rng.type();
    c.code = from_pattern(rng.bits(ws), c.from);
  } else if (kind <= 5) {  // dropped bits exactly half an LSB (or one source LSB off it)
    c.to = nearby_type(rng, c.from, 1, std::min(ws, 10));
    const int k = c.from.fractional_bits() - c.to.fractional_bits();  // bits dropped, 1..ws
    cpp_int pattern = (rng.bits(ws) >> k) << k;
    pattern += cpp_int(1) << (k - 1);
    if (rng.chance(1, 4)) pattern += rng.chance(1, 2) ? 1 : -1;
    c.code = from_pattern(pattern, c.from);
  } else if (kind <= 8) {  // near the destination's min/max (rounding carries, SAT edges, wrap)
    c.to = nearby_type(rng, c.from, -3, 8);
    const std::array<cpp_int, 11> targets = {
        reference::min_code(c.to) - 2, reference::min_code(c.to) - 1, reference::min_code(c.to),
        reference::min_code(c.to) + 1, reference::max_code(c.to) - 1, reference::max_code(c.to),
        reference::max_code(c.to) + 1, reference::max_code(c.to) + 2, cpp_int(0), cpp_int(1), cpp_int(-1)};
    const cpp_int target = targets[static_cast<std::size_t>(rng.uniform(0, targets.size() - 1))];
    const int k = c.from.fractional_bits() - c.to.fractional_bits();
    cpp_int code;
    if (k > 0) {
      const cpp_int half = cpp_int(1) << (k - 1);
      const std::array<cpp_int, 6> low = {cpp_int(0), half, half - 1, half + 1, (half << 1) - 1, rng.bits(k)};
      code = (target << k) + low[static_cast<std::size_t>(rng.uniform(0, low.size() - 1))];
    } else {
      code = (target >> -k) + rng.uniform(-1, 1);  // >> is a floor for cpp_int
    }
    // Outside the source range the value cannot be a source code: wrap it into the register.
    c.code = (code < reference::min_code(c.from) || code > reference::max_code(c.from))
                 ? from_pattern(code, c.from) : code;
  } else {  // the source's own extremes into a random destination
    c.to = rng.chance(1, 2) ? rng.type() : nearby_type(rng, c.from, -3, 8);
    const std::array<cpp_int, 7> extremes = {
        reference::min_code(c.from), reference::max_code(c.from),     reference::min_code(c.from) + 1,
        reference::max_code(c.from) - 1, cpp_int(0), cpp_int(1), cpp_int(-1)};
    c.code = from_pattern(extremes[static_cast<std::size_t>(rng.uniform(0, extremes.size() - 1))], c.from);
  }
  return c;
}

bool is_tie(const cpp_rational& v, const FixedType& to) {
  const cpp_rational scaled = v * reference::pow2(to.fractional_bits());
  return denominator(scaled) == 2;
}

/// Runs `cases` random triples from `seed`; returns nothing, records failures (the first few
/// printed in full, all counted).
void run_convert_code(std::uint64_t seed, std::uint64_t cases) {
  seed = env_or("L1EMU_FIXED_SEED", seed);
  cases = env_or("L1EMU_FIXED_CASES", cases);
  std::cout << "[ seed     ] " << seed << " (" << cases << " random convert_code cases)\n";
  Random rng(seed);
  std::uint64_t mismatches = 0;
  std::uint64_t ties = 0;
  std::uint64_t overflows = 0;
  std::uint64_t value_checks = 0;
  std::array<std::uint64_t, kQuantizations.size()> ties_by_q{};  // exact ties per destination Q
  std::array<std::uint64_t, kOverflows.size() + 1> overflows_by_o{};  // per O; last: WRAP with N > 0
  for (std::uint64_t i = 0; i < cases; ++i) {
    const Case c = draw_case(rng);
    const cpp_rational value = reference::value_of(c.code, c.from);
    const cpp_int rounded = reference::round_to_lsb(value, c.to.fractional_bits(), c.to.quantization);
    const cpp_int expected = reference::apply_overflow(rounded, c.to);
    if (is_tie(value, c.to)) {
      ++ties;
      ++ties_by_q[static_cast<std::size_t>(c.to.quantization)];
    }
    if (reference::overflows(rounded, c.to)) {
      ++overflows;
      ++overflows_by_o[c.to.saturation_bits > 0 ? kOverflows.size() : static_cast<std::size_t>(c.to.overflow)];
    }

    std::string got_text;
    try {
      got_text = convert_code(to_big(c.code), c.from, c.to).str();
    } catch (const std::exception& e) {
      got_text = std::string("exception: ") + e.what();
    }
    // Every 16th case also goes through convert(ExactValue) with the same value.
    std::string via_exact = got_text;
    if (i % 16 == 0) {
      ++value_checks;
      try {
        via_exact = convert(ExactValue::of(to_big(c.code), c.from), c.to).str();
      } catch (const std::exception& e) {
        via_exact = std::string("exception: ") + e.what();
      }
    }
    const std::string expected_text = expected.str();
    if (got_text != expected_text || via_exact != expected_text) {
      ++mismatches;
      if (mismatches <= 20) {
        ADD_FAILURE() << "case " << i << " (seed " << seed << "): code " << c.code << " of "
                      << c.from.to_string() << " -> " << c.to.to_string() << ": convert_code " << got_text
                      << ", convert(ExactValue) " << via_exact << ", reference " << expected_text
                      << " (rounded code before overflow " << rounded << ")";
      }
    }
  }
  std::cout << "[ coverage ] " << ties << " exact ties, " << overflows << " overflows, " << value_checks
            << " convert(ExactValue) checks, " << mismatches << " mismatches\n";
  std::cout << "[ coverage ] ties by Q:";
  for (std::size_t q = 0; q < ties_by_q.size(); ++q) std::cout << ' ' << to_string(kQuantizations[q]) << '=' << ties_by_q[q];
  std::cout << "\n[ coverage ] overflows by O:";
  for (std::size_t o = 0; o < kOverflows.size(); ++o) std::cout << ' ' << to_string(kOverflows[o]) << '=' << overflows_by_o[o];
  std::cout << " AP_WRAP(N>0)=" << overflows_by_o.back() << '\n';
  EXPECT_EQ(mismatches, 0U);
  if (cases >= 10000) {  // the edge-biased draws must actually hit the edges, in every mode
    EXPECT_GT(ties, cases / 20);
    EXPECT_GT(overflows, cases / 10);
    for (const std::uint64_t n : ties_by_q) EXPECT_GT(n, cases / 200);
    for (const std::uint64_t n : overflows_by_o) EXPECT_GT(n, cases / 200);
  }
}

// 8 x 131072 = 1,048,576 random triples per run, split so CTest can run them in parallel.
constexpr std::uint64_t kCasesPerGroup = 131072;
constexpr std::uint64_t kBaseSeed = 0x5eed'f1fe'd000'0000ULL;

TEST(FixedPropertyConvertCode, Group0) { run_convert_code(kBaseSeed + 0, kCasesPerGroup); }
TEST(FixedPropertyConvertCode, Group1) { run_convert_code(kBaseSeed + 1, kCasesPerGroup); }
TEST(FixedPropertyConvertCode, Group2) { run_convert_code(kBaseSeed + 2, kCasesPerGroup); }
TEST(FixedPropertyConvertCode, Group3) { run_convert_code(kBaseSeed + 3, kCasesPerGroup); }
TEST(FixedPropertyConvertCode, Group4) { run_convert_code(kBaseSeed + 4, kCasesPerGroup); }
TEST(FixedPropertyConvertCode, Group5) { run_convert_code(kBaseSeed + 5, kCasesPerGroup); }
TEST(FixedPropertyConvertCode, Group6) { run_convert_code(kBaseSeed + 6, kCasesPerGroup); }
TEST(FixedPropertyConvertCode, Group7) { run_convert_code(kBaseSeed + 7, kCasesPerGroup); }

// convert(ExactValue) with values no source type could hold: mantissas up to 300 bits (products
// and sums of wide codes) and fractional bits far outside [-8, W+8].
TEST(FixedPropertyConvertExactValue, WideMantissasAndScales) {
  const std::uint64_t seed = env_or("L1EMU_FIXED_SEED", kBaseSeed + 50);
  const std::uint64_t cases = env_or("L1EMU_FIXED_CASES", 100000);
  std::cout << "[ seed     ] " << seed << " (" << cases << " random convert(ExactValue) cases)\n";
  Random rng(seed);
  std::uint64_t mismatches = 0;
  for (std::uint64_t i = 0; i < cases; ++i) {
    const FixedType to = rng.type();
    cpp_int mantissa = rng.bits(rng.uniform(0, 300));
    if (rng.chance(1, 2)) mantissa = -mantissa;
    // Near the destination LSB half of the time, anywhere in [-300, 300] otherwise.
    const int f = rng.chance(1, 2) ? to.fractional_bits() + rng.uniform(-4, 300) : rng.uniform(-300, 300);
    const cpp_int expected = reference::reference_convert(cpp_rational(mantissa) * reference::pow2(-f), to);
    std::string got;
    try {
      got = convert(ExactValue{to_big(mantissa), f}, to).str();
    } catch (const std::exception& e) {
      got = std::string("exception: ") + e.what();
    }
    if (got != expected.str() && ++mismatches <= 20) {
      ADD_FAILURE() << "case " << i << " (seed " << seed << "): convert(" << mantissa << " * 2^-" << f << ", "
                    << to.to_string() << ") = " << got << ", reference " << expected;
    }
  }
  EXPECT_EQ(mismatches, 0U);
}

// The type helpers the tests rely on: min/max/holds agree with the definition, and every random
// type prints and parses back to itself.
TEST(FixedPropertyType, RangesAndSpellingsRoundTrip) {
  Random rng(kBaseSeed + 60);
  for (int i = 0; i < 20000; ++i) {
    const FixedType t = rng.type();
    EXPECT_EQ(to_ref(t.min_code()), reference::min_code(t)) << t.to_string();
    EXPECT_EQ(to_ref(t.max_code()), reference::max_code(t)) << t.to_string();
    EXPECT_TRUE(t.holds(to_big(reference::min_code(t))));
    EXPECT_TRUE(t.holds(to_big(reference::max_code(t))));
    EXPECT_FALSE(t.holds(to_big(reference::min_code(t) - 1)));
    EXPECT_FALSE(t.holds(to_big(reference::max_code(t) + 1)));
    EXPECT_EQ(FixedType::parse(t.to_string()), t) << t.to_string();
  }
}

// ---------------------------------------------------------------------------------------------
// from_double / from_float

/// A random finite, normal double: random sign and 52 mantissa bits; the exponent is either near
/// the destination's range (so both rounding and overflow happen) or anywhere.
double random_double(Random& rng, const FixedType& to) {
  const std::uint64_t mantissa = rng.word() >> 12;  // 52 bits
  int exponent = 0;                                  // unbiased
  switch (rng.uniform(0, 3)) {
    case 0: exponent = rng.uniform(-1022, 1023); break;
    case 1: exponent = std::clamp(-to.fractional_bits() + rng.uniform(-4, 4), -1022, 1023); break;  // near the LSB
    default: exponent = std::clamp(to.integer_bits - (to.is_signed ? 1 : 0) + rng.uniform(-3, 2), -1022, 1023);  // near the top
  }
  std::uint64_t bits = mantissa | (static_cast<std::uint64_t>(exponent + 1023) << 52);
  if (rng.chance(1, 2)) bits |= std::uint64_t{1} << 63;
  double d = 0;
  static_assert(sizeof d == sizeof bits);
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

TEST(FixedPropertyFromDouble, RandomDoublesMatchTheExactReference) {
  const std::uint64_t seed = env_or("L1EMU_FIXED_SEED", kBaseSeed + 100);
  const std::uint64_t cases = env_or("L1EMU_FIXED_CASES", 200000);
  std::cout << "[ seed     ] " << seed << " (" << cases << " random from_double cases)\n";
  Random rng(seed);
  std::uint64_t mismatches = 0;
  for (std::uint64_t i = 0; i < cases; ++i) {
    const FixedType to = rng.type();
    double d = random_double(rng, to);
    if (rng.chance(1, 16) && std::fabs(d) < 0x1p1000) d = std::nearbyint(d * 4) / 4;  // quarter multiples: ties at coarse LSBs
    const cpp_int expected = reference::reference_convert(reference::exact_rational(d), to);
    std::string got;
    try {
      got = from_double(d, to).str();
    } catch (const std::exception& e) {
      got = std::string("exception: ") + e.what();
    }
    if (got != expected.str() && ++mismatches <= 20) {
      ADD_FAILURE() << "case " << i << " (seed " << seed << "): from_double(" << std::hexfloat << d
                    << std::defaultfloat << ", " << to.to_string() << ") = " << got << ", reference "
                    << expected;
    }
    // The float path: a float is a double, so from_float must equal from_double of the widened value.
    if (i % 8 == 0 && std::isfinite(static_cast<float>(d)) && std::fpclassify(static_cast<float>(d)) != FP_SUBNORMAL) {
      const float f = static_cast<float>(d);
      const cpp_int expected_f = reference::reference_convert(reference::exact_rational(static_cast<double>(f)), to);
      std::string got_f;
      try {
        got_f = from_float(f, to).str();
      } catch (const std::exception& e) {
        got_f = std::string("exception: ") + e.what();
      }
      if (got_f != expected_f.str() && ++mismatches <= 20) {
        ADD_FAILURE() << "case " << i << " (seed " << seed << "): from_float(" << std::hexfloat << f
                      << std::defaultfloat << ", " << to.to_string() << ") = " << got_f << ", reference "
                      << expected_f;
      }
    }
  }
  EXPECT_EQ(mismatches, 0U);
}

TEST(FixedPropertyFromDouble, ZeroNanAndInfinities) {
  Random rng(kBaseSeed + 101);
  for (int i = 0; i < 2000; ++i) {
    FixedType to = rng.type();
    EXPECT_EQ(from_double(0.0, to), 0) << to.to_string();
    EXPECT_EQ(from_double(-0.0, to), 0) << to.to_string();
    EXPECT_EQ(from_float(-0.0F, to), 0) << to.to_string();
    EXPECT_THROW((void)from_double(std::numeric_limits<double>::quiet_NaN(), to), std::invalid_argument)
        << to.to_string();
    EXPECT_THROW((void)from_float(std::numeric_limits<float>::quiet_NaN(), to), std::invalid_argument)
        << to.to_string();
    to.overflow = Overflow::Sat;
    to.saturation_bits = 0;
    const double inf = std::numeric_limits<double>::infinity();
    EXPECT_EQ(to_ref(from_double(inf, to)), reference::max_code(to)) << to.to_string();
    EXPECT_EQ(to_ref(from_double(-inf, to)), reference::min_code(to)) << to.to_string();
  }
}

// ---------------------------------------------------------------------------------------------
// to_decimal

TEST(FixedPropertyToDecimal, ExactAndFormattedAsSpecified) {
  const std::uint64_t seed = env_or("L1EMU_FIXED_SEED", kBaseSeed + 200);
  const std::uint64_t cases = env_or("L1EMU_FIXED_CASES", 100000);
  std::cout << "[ seed     ] " << seed << " (" << cases << " random to_decimal cases)\n";
  Random rng(seed);
  std::uint64_t failures = 0;
  for (std::uint64_t i = 0; i < cases; ++i) {
    const FixedType t = rng.type();
    cpp_int code = from_pattern(rng.bits(t.width), t);
    if (rng.chance(1, 8)) code = rng.chance(1, 2) ? reference::min_code(t) : reference::max_code(t);
    if (rng.chance(1, 16)) code = 0;
    const int f = t.fractional_bits();
    const std::string text = to_decimal(to_big(code), t);
    std::ostringstream problem;
    try {
      if (reference::parse_decimal(text) != reference::value_of(code, t)) problem << "value differs; ";
    } catch (const std::exception& e) {
      problem << e.what() << "; ";
    }
    const auto point = text.find('.');
    if (f <= 0 && point != std::string::npos) problem << "point present although F <= 0; ";
    if (f > 0 && (point == std::string::npos || static_cast<int>(text.size() - point - 1) != f)) {
      problem << "expected exactly " << f << " digits after the point; ";
    }
    if ((code < 0) != (!text.empty() && text[0] == '-')) problem << "sign; ";
    // One digit before the point, no superfluous leading zeros.
    const std::size_t int_begin = (code < 0) ? 1 : 0;
    const std::size_t int_end = point == std::string::npos ? text.size() : point;
    if (int_end <= int_begin || (int_end - int_begin > 1 && text[int_begin] == '0')) problem << "integer part; ";
    if (!problem.str().empty() && ++failures <= 20) {
      ADD_FAILURE() << "to_decimal(" << code << ", " << t.to_string() << ") = \"" << text
                    << "\": " << problem.str();
    }
  }
  EXPECT_EQ(failures, 0U);
}

}  // namespace
}  // namespace l1emu::emu
