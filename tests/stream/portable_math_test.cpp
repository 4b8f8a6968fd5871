// portable_math against libm (glibc: errors below 1 ulp, so a 1e-15 relative bound leaves the
// reference's own error well inside) over dense seeded samples of each function's domain and at
// its edge values, plus identities a wrong implementation would break (no hard-coded results:
// the functions' bits are their own, what is pinned here is how close they are to the real ones).
#include "l1emu/stream/portable_math.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <random>
#include <string>
#include <vector>

namespace l1emu::stream {
namespace {

namespace pm = portable_math;

/// The documented bound: relative error below 1e-15 (about 4.5 ulp) where the result is not near 0.
constexpr double kRel = 1e-15;
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kPi = std::numbers::pi;

struct Samples {
  std::mt19937_64 rng{20260523};
  double uniform(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); }
  /// |x| log-uniform in [lo, hi], random sign when `signed_`.
  double log_uniform(double lo, double hi, bool signed_ = true) {
    const double x = std::exp(uniform(std::log(lo), std::log(hi)));
    return signed_ && (rng() & 1) ? -x : x;
  }
};

/// Worst relative error of f against ref (absolute where |ref| < abs_floor / kRel), reported with
/// the argument that gives it.
class Worst {
 public:
  explicit Worst(double abs_floor = 0.0) : abs_floor_(abs_floor) {}
  void add(double x, double got, double want) {
    if (std::isnan(want)) {
      if (!std::isnan(got)) bad_ = "x=" + std::to_string(x) + " gives a number, libm NaN";
      return;
    }
    if (std::isinf(want)) {
      if (got != want) bad_ = "x=" + std::to_string(x) + " misses an infinity";
      return;
    }
    const double err = std::abs(got - want) / std::max(std::abs(want), abs_floor_ / kRel);
    if (err > worst_) {
      worst_ = err;
      at_ = x;
    }
  }
  void expect_below(double bound, const std::string& what) const {
    EXPECT_EQ(bad_, "") << what;
    EXPECT_LT(worst_, bound) << what << ": worst at x = " << at_;
    char text[32];
    std::snprintf(text, sizeof text, "%.3g", worst_);
    testing::Test::RecordProperty(what, text);
  }

 private:
  double abs_floor_;
  double worst_ = 0.0, at_ = 0.0;
  std::string bad_;
};

template <class F, class G>
void check_dense(const std::string& what, F f, G ref, std::vector<double> xs, double bound = kRel, double abs_floor = 0) {
  Worst w(abs_floor);
  for (double x : xs) w.add(x, f(x), ref(x));
  w.expect_below(bound, what);
}

std::vector<double> uniform_samples(double lo, double hi, int n = 200000) {
  Samples s;
  std::vector<double> xs;
  for (int i = 0; i < n; ++i) xs.push_back(s.uniform(lo, hi));
  return xs;
}
std::vector<double> log_samples(double lo, double hi, int n = 200000, bool signed_ = true) {
  Samples s;
  std::vector<double> xs;
  for (int i = 0; i < n; ++i) xs.push_back(s.log_uniform(lo, hi, signed_));
  return xs;
}
/// Doubles next to multiples of pi/2 (the zeros of sin or cos and the poles of tan), k up to `kmax`.
std::vector<double> near_pio2_multiples(int kmax) {
  std::vector<double> xs;
  for (int k = -kmax; k <= kmax; k += (k > -20 && k < 20) ? 1 : 97) {
    double x = k * (kPi / 2);
    for (int i = 0; i < 3; ++i) x = std::nextafter(x, -kInf);
    for (int i = 0; i < 7; ++i, x = std::nextafter(x, kInf)) xs.push_back(x);
  }
  return xs;
}
std::vector<double> edges() {
  const double tiny = std::numeric_limits<double>::denorm_min(), min = std::numeric_limits<double>::min();
  return {0.0, -0.0, tiny, -tiny, min, -min, 1e-300, -1e-300, 1e-20, -1e-20, 0x1p-27, -0x1p-27, 0.5, -0.5, 1.0, -1.0};
}

// Absolute floor near the zeros of sin and cos: the reduced argument carries an absolute error of
// about 1e-30 from the three-part pi/2 (documented: absolute below 1e-22 there).
constexpr double kTrigFloor = 1e-22;

TEST(PortableMath, SinCosAgainstLibm) {
  auto s = [](double x) { return pm::sin_cos(x).sin; };
  auto c = [](double x) { return pm::sin_cos(x).cos; };
  auto ls = [](double x) { return std::sin(x); };
  auto lc = [](double x) { return std::cos(x); };
  for (const auto& [name, xs] : {std::pair{std::string("[-2pi, 2pi]"), uniform_samples(-2 * kPi, 2 * kPi)},
                                 std::pair{std::string("[-30, 30]"), uniform_samples(-30, 30)},
                                 std::pair{std::string("log-uniform to 2^20"), log_samples(1e-30, 0x1p20)},
                                 std::pair{std::string("Payne-Hanek 2^20 .. 1e308"), log_samples(0x1p20, 1e308)},
                                 std::pair{std::string("near k pi/2"), near_pio2_multiples(200000)},
                                 std::pair{std::string("edges"), edges()}}) {
    check_dense("sin " + name, s, ls, xs, kRel, kTrigFloor);
    check_dense("cos " + name, c, lc, xs, kRel, kTrigFloor);
  }
  // Both sides of the switch from Cody-Waite to Payne-Hanek.
  std::vector<double> xs;
  for (double x = std::nextafter(0x1p20, 0.0), i = 0; i < 2000; ++i, x = std::nextafter(x, kInf)) xs.push_back(x);
  check_dense("sin at 2^20", s, ls, xs);
  check_dense("cos at 2^20", c, lc, xs);
  EXPECT_TRUE(std::isnan(pm::sin(kInf)) && std::isnan(pm::cos(-kInf)) && std::isnan(pm::sin(std::nan(""))));
}

TEST(PortableMath, TanAgainstLibm) {
  auto t = [](double x) { return pm::tan(x); };
  auto lt = [](double x) { return std::tan(x); };
  check_dense("tan [-pi/2, pi/2]", t, lt, uniform_samples(-kPi / 2, kPi / 2));
  check_dense("tan log-uniform to 2^20", t, lt, log_samples(1e-30, 0x1p20), kRel, kTrigFloor);
  // Includes the poles: the generator's Breit-Wigner calls tan(pi (u - 0.5)) down to u = 0.
  check_dense("tan near k pi/2", t, lt, near_pio2_multiples(20000), kRel, kTrigFloor);
  check_dense("tan edges", t, lt, edges());
}

TEST(PortableMath, ExpAgainstLibm) {
  auto e = [](double x) { return pm::exp(x); };
  auto le = [](double x) { return std::exp(x); };
  check_dense("exp normal results", e, le, uniform_samples(-708.3, 709.78));
  check_dense("exp [-3, 3]", e, le, uniform_samples(-3, 3));
  check_dense("exp small", e, le, log_samples(1e-300, 1));
  check_dense("exp edges", e, le, edges());
  // Subnormal results: within one unit of the last (subnormal) place.
  double worst_units = 0;
  for (double x : uniform_samples(-745.1, -708.4, 20000))
    worst_units = std::max(worst_units, std::abs(pm::exp(x) - std::exp(x)) / 0x1p-1074);
  EXPECT_LE(worst_units, 1.0) << "exp subnormal results (in units of 2^-1074)";
  EXPECT_EQ(pm::exp(710.0), kInf);
  EXPECT_EQ(pm::exp(-746.0), 0.0);
  EXPECT_EQ(pm::exp(-kInf), 0.0);
  EXPECT_EQ(pm::exp(kInf), kInf);
  EXPECT_EQ(pm::exp(0.0), 1.0);
  EXPECT_EQ(pm::exp(-0.0), 1.0);
}

TEST(PortableMath, LogAndLog1pAgainstLibm) {
  auto l = [](double x) { return pm::log(x); };
  auto ll = [](double x) { return std::log(x); };
  check_dense("log (0, 1]", l, ll, uniform_samples(0x1p-53, 1.0));
  check_dense("log all doubles", l, ll, log_samples(std::numeric_limits<double>::denorm_min(), 1e308, 200000, false));
  check_dense("log near 1", l, ll, [] {
    std::vector<double> xs;
    for (double d : log_samples(1e-16, 0.3, 100000)) xs.push_back(1.0 + d);
    return xs;
  }());
  EXPECT_EQ(pm::log(1.0), 0.0);
  EXPECT_EQ(pm::log(0.0), -kInf);
  EXPECT_EQ(pm::log(-0.0), -kInf);
  EXPECT_EQ(pm::log(kInf), kInf);
  EXPECT_TRUE(std::isnan(pm::log(-1.0)));
  EXPECT_TRUE(std::isnan(pm::log(std::nan(""))));

  auto l1 = [](double x) { return pm::log1p(x); };
  auto ll1 = [](double x) { return std::log1p(x); };
  check_dense("log1p [-0.99, 10]", l1, ll1, uniform_samples(-0.99, 10));
  check_dense("log1p small", l1, ll1, log_samples(1e-300, 0.5));
  check_dense("log1p edges", l1, ll1, edges());
  EXPECT_TRUE(std::signbit(pm::log1p(-0.0)));
}

TEST(PortableMath, SinhCoshAgainstLibm) {
  auto s = [](double x) { return pm::sinh_cosh(x).sinh; };
  auto c = [](double x) { return pm::sinh_cosh(x).cosh; };
  auto ls = [](double x) { return std::sinh(x); };
  auto lc = [](double x) { return std::cosh(x); };
  for (const auto& [name, xs] :
       {std::pair{std::string("[-25, 25]"), uniform_samples(-25, 25)},
        std::pair{std::string("[-1, 1]"), uniform_samples(-1, 1)},
        std::pair{std::string("log-uniform to overflow"), log_samples(1e-300, 710.47)},
        std::pair{std::string("edges"), edges()}}) {
    check_dense("sinh " + name, s, ls, xs);
    check_dense("cosh " + name, c, lc, xs);
  }
  EXPECT_EQ(pm::sinh(711.0), kInf);
  EXPECT_EQ(pm::sinh(-711.0), -kInf);
  EXPECT_EQ(pm::cosh(-711.0), kInf);
  EXPECT_EQ(pm::sinh(pm::detail::kInf), kInf);
}

TEST(PortableMath, AsinhAgainstLibm) {
  auto a = [](double x) { return pm::asinh(x); };
  auto la = [](double x) { return std::asinh(x); };
  check_dense("asinh [-3e8, 3e8] (the generator's pz/pt)", a, la, log_samples(1e-12, 3e8));
  check_dense("asinh [-2, 2]", a, la, uniform_samples(-2, 2));
  check_dense("asinh all doubles", a, la, log_samples(std::numeric_limits<double>::denorm_min(), 1e308));
  check_dense("asinh edges", a, la, edges());
  EXPECT_EQ(pm::asinh(kInf), kInf);
  EXPECT_EQ(pm::asinh(-kInf), -kInf);
}

TEST(PortableMath, Atan2AgainstLibm) {
  Samples s;
  Worst circle, mixed;
  for (int i = 0; i < 200000; ++i) {
    const double t = s.uniform(-4, 4);
    const double y = 3 * std::sin(t), x = 3 * std::cos(t);
    circle.add(t, pm::atan2(y, x), std::atan2(y, x));
    const double a = s.log_uniform(1e-300, 1e300), b = s.log_uniform(1e-300, 1e300);
    const double c = s.log_uniform(1, 1e3), d = s.log_uniform(1, 1e3);
    mixed.add(a, pm::atan2(a, b), std::atan2(a, b));
    mixed.add(c, pm::atan2(c, d), std::atan2(c, d));
  }
  circle.expect_below(kRel, "atan2 on a circle");
  mixed.expect_below(kRel, "atan2 of independent magnitudes");
  // C's special cases.
  const std::vector<double> v = {0.0, -0.0, 1.0, -1.0, kInf, -kInf, 1e-310, -1e-310};
  for (double y : v)
    for (double x : v) {
      const bool special = y == 0 || x == 0 || std::isinf(y) || std::isinf(x);
      if (special) EXPECT_EQ(pm::atan2(y, x), std::atan2(y, x)) << "atan2(" << y << ", " << x << ")";
      else EXPECT_NEAR(pm::atan2(y, x), std::atan2(y, x), kRel) << "atan2(" << y << ", " << x << ")";
      EXPECT_EQ(std::signbit(pm::atan2(y, x)), std::signbit(std::atan2(y, x))) << y << ", " << x;
    }
  EXPECT_TRUE(std::isnan(pm::atan2(std::nan(""), 1.0)));
  EXPECT_TRUE(std::isnan(pm::atan2(1.0, std::nan(""))));
}

TEST(PortableMath, HypotAgainstLibm) {
  Samples s;
  Worst w;
  for (int i = 0; i < 200000; ++i) {
    const double x = s.log_uniform(1e-3, 1e4), y = s.log_uniform(1e-3, 1e4);
    w.add(x, pm::hypot(x, y), std::hypot(x, y));
    const double a = s.log_uniform(1e-320, 1e308), b = s.log_uniform(1e-320, 1e308);
    w.add(a, pm::hypot(a, b), std::hypot(a, b));
  }
  w.expect_below(kRel, "hypot");
  EXPECT_EQ(pm::hypot(1e308, 1e308), std::hypot(1e308, 1e308));  // no spurious overflow
  EXPECT_NEAR(pm::hypot(3e-320, 4e-320), 5e-320, 1e-323);        // nor underflow
  EXPECT_EQ(pm::hypot(0.0, -0.0), 0.0);
  EXPECT_EQ(pm::hypot(-3.0, 4.0), 5.0);
  EXPECT_EQ(pm::hypot(kInf, std::nan("")), kInf);
  EXPECT_EQ(pm::hypot(std::nan(""), -kInf), kInf);
  EXPECT_TRUE(std::isnan(pm::hypot(std::nan(""), 1.0)));
}

TEST(PortableMath, InverseCbrtAgainstLibm) {
  // Reference 1 / cbrt(x) (cbrt below 1 ulp, the division half an ulp); not pow(x, -1.0/3.0), whose
  // exponent is not exactly -1/3.
  auto f = [](double x) { return pm::inverse_cbrt(x); };
  auto ref = [](double x) { return 1.0 / std::cbrt(x); };
  check_dense("inverse_cbrt (0, 1]", f, ref, uniform_samples(0x1p-53, 1.0));
  check_dense("inverse_cbrt all doubles", f, ref,
              log_samples(std::numeric_limits<double>::denorm_min(), 1e308, 200000, false));
  EXPECT_EQ(pm::inverse_cbrt(8.0), 0.5);
  EXPECT_EQ(pm::inverse_cbrt(0.0), kInf);
  EXPECT_EQ(pm::inverse_cbrt(kInf), 0.0);
  EXPECT_TRUE(std::isnan(pm::inverse_cbrt(-1.0)));
}

TEST(PortableMath, WrapToPi) {
  Samples s;
  double worst = 0;
  for (int i = 0; i < 200000; ++i) {
    for (double x : {s.uniform(-4 * kPi, 4 * kPi), s.log_uniform(1e-3, 1e6), s.log_uniform(1e6, 1e300)}) {
      const double w = pm::wrap_to_pi(x);
      ASSERT_TRUE(w >= -kPi && w <= kPi) << x << " -> " << w;
      // Same angle: the libm atan2 of its (sin, cos), up to the +-pi seam.
      double d = std::abs(w - std::atan2(std::sin(x), std::cos(x)));
      if (d > kPi) d = std::abs(d - 2 * kPi);
      worst = std::max(worst, d);
    }
  }
  EXPECT_LT(worst, 2e-15);
  EXPECT_EQ(pm::wrap_to_pi(kPi), kPi);
  EXPECT_EQ(pm::wrap_to_pi(-kPi), -kPi);
  EXPECT_EQ(pm::wrap_to_pi(1.0), 1.0);
  EXPECT_EQ(pm::wrap_to_pi(-0.0), -0.0);
  EXPECT_NEAR(pm::wrap_to_pi(3 * kPi), kPi, 1e-15);
  EXPECT_NEAR(pm::wrap_to_pi(2 * kPi + 1.0), 1.0, 1e-15);
  EXPECT_NEAR(pm::wrap_to_pi(-2 * kPi - 1.0), -1.0, 1e-15);
}

// Identities that hold for the real functions and would fail on a wrong quadrant, sign, or
// reduction; exact where the implementation is exactly symmetric.
TEST(PortableMath, Identities) {
  Samples s;
  std::vector<double> xs = uniform_samples(-50, 50, 100000);
  for (double x : log_samples(1e-20, 1e300, 100000)) xs.push_back(x);
  for (double x : near_pio2_multiples(2000)) xs.push_back(x);
  constexpr double kUlp = std::numeric_limits<double>::epsilon();
  for (double x : xs) {
    const auto [sn, cs] = pm::sin_cos(x);
    ASSERT_LE(std::abs(sn * sn + cs * cs - 1.0), 4 * kUlp) << x;
    ASSERT_EQ(pm::sin(-x), -sn) << x;
    ASSERT_EQ(pm::cos(-x), cs) << x;
    ASSERT_EQ(pm::tan(-x), -pm::tan(x)) << x;
    if (std::abs(x) < 700) {
      const auto [sh, ch] = pm::sinh_cosh(x);
      const auto [msh, mch] = pm::sinh_cosh(-x);
      ASSERT_EQ(msh, -sh) << x;
      ASSERT_EQ(mch, ch) << x;
      if (std::abs(x) < 20) {
        ASSERT_NEAR(ch * ch - sh * sh, 1.0, 16 * kUlp * ch * ch) << x;
      }
      ASSERT_NEAR(pm::exp(x) * pm::exp(-x), 1.0, 8 * kUlp) << x;
    }
    ASSERT_EQ(pm::asinh(-x), -pm::asinh(x)) << x;
    if (std::abs(x) < 20) {
      ASSERT_NEAR(pm::asinh(pm::sinh(x)), x, 4 * kUlp * std::max(1.0, std::abs(x))) << x;
    }
    if (x > 0) {
      ASSERT_NEAR(pm::exp(pm::log(x)), x, (4 + 4 * std::abs(pm::log(x))) * kUlp * x) << x;
    }
  }
  // atan2: quadrants, odd in y, pi - reflection in x, complementary angles.
  for (int i = 0; i < 100000; ++i) {
    const double x = s.log_uniform(1e-5, 1e5, false), y = s.log_uniform(1e-5, 1e5, false);
    const double a = pm::atan2(y, x);
    ASSERT_TRUE(a > 0 && a < kPi / 2) << y << " " << x;
    ASSERT_TRUE(pm::atan2(y, -x) > kPi / 2 && pm::atan2(y, -x) <= kPi) << y << " " << x;
    ASSERT_TRUE(pm::atan2(-y, -x) < -kPi / 2 && pm::atan2(-y, -x) >= -kPi) << y << " " << x;
    ASSERT_TRUE(pm::atan2(-y, x) < 0 && pm::atan2(-y, x) > -kPi / 2) << y << " " << x;
    ASSERT_EQ(pm::atan2(-y, x), -a);
    ASSERT_EQ(pm::atan2(-y, -x), -pm::atan2(y, -x));
    ASSERT_NEAR(pm::atan2(y, -x), kPi - a, 2 * kRel * kPi);
    ASSERT_NEAR(pm::atan2(x, y), kPi / 2 - a, 2 * kRel * kPi / 2);
    // atan2 inverts sin_cos on (-pi, pi).
    const double t = s.uniform(-kPi, kPi);
    const auto [st, ct] = pm::sin_cos(t);
    ASSERT_NEAR(pm::atan2(st, ct), t, 4 * kUlp * std::max(1.0, std::abs(t))) << t;
  }
  // Signed zeros kept by the odd functions.
  for (double z : {0.0, -0.0}) {
    EXPECT_EQ(std::signbit(pm::sin(z)), std::signbit(z));
    EXPECT_EQ(std::signbit(pm::tan(z)), std::signbit(z));
    EXPECT_EQ(std::signbit(pm::sinh(z)), std::signbit(z));
    EXPECT_EQ(std::signbit(pm::asinh(z)), std::signbit(z));
    EXPECT_EQ(pm::cos(z), 1.0);
    EXPECT_EQ(pm::cosh(z), 1.0);
  }
  // The special cases that are exact by construction.
  EXPECT_NEAR(pm::atan2(1.0, 1.0), kPi / 4, kRel);
  EXPECT_EQ(pm::atan2(0.0, -1.0), kPi);
  EXPECT_EQ(pm::atan2(1.0, 0.0), kPi / 2);
}

}  // namespace
}  // namespace l1emu::stream
