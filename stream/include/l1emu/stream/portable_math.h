#pragma once
// Elementary functions for the event generator that give the same bits on every IEEE-754 platform:
// written only with + - * /, std::sqrt (all correctly rounded by IEEE 754) and integer bit
// manipulation, so a seed gives the same events whatever libm is installed (glibc, musl and the
// vendors' libraries all round sin, log, atan2... differently in the last bit). They are also
// several times cheaper than glibc's correctly-rounded-in-most-cases routines, which dominated the
// generator's profile.
//
// The guarantee needs the compiler not to contract a*b+c into a fused multiply-add: the project
// builds with -std=c++20 without GNU extensions, where g++ defaults to -ffp-contract=off. Do not
// call std::fma here, and do not build this with -ffast-math.
//
// Accuracy (tests/stream/portable_math_test.cpp checks it against libm): relative error below 1e-15
// (4.5 ulp; measured at most 2.9 ulp) over the documented domains, except next to the zeros of
// sin/cos/tan at nonzero multiples of pi/2, where the reduced argument carries an absolute error of
// about 1e-30 (bound asserted: absolute 1e-22), and for subnormal results of exp (within one unit of
// the last place). Domains:
//   sin_cos, sin, cos, tan:  every finite x. |x| < 2^20 takes a three-part Cody-Waite reduction,
//                            larger |x| an exact (Payne-Hanek) reduction in portable_math.cpp.
//                            Infinity and NaN give NaN.
//   wrap_to_pi:              every finite x, to [-pi, pi] (pi as its double): x - 2 pi n.
//   atan2:                   every input, with C's special cases (signed zeros, infinities, NaN).
//   exp:                     every x; underflows to subnormals/0 below -708, inf above 709.78.
//   log, log1p:              every x (x <= 0 or x <= -1: NaN / -inf, as C).
//   sinh_cosh, sinh, cosh:   every x (inf beyond |x| ~ 710.475).
//   asinh:                   every x.
//   hypot:                   every input (scaled: no spurious overflow or underflow).
//   inverse_cbrt:            x^(-1/3) for x >= 0 (0 -> inf, inf -> 0, x < 0 -> NaN).
// Polynomials: Taylor series (sin, cos, exp, small sinh/cosh) and Chebyshev fits computed with
// mpmath (log, atan), each truncated where its truncation error is below 1e-16 relative; the
// coefficients are produced by scripts/portable_math_coefficients.py.
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

namespace l1emu::stream::portable_math {

struct SinCos {
  double sin, cos;
};
struct SinhCosh {
  double sinh, cosh;
};

namespace detail {

inline constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
inline constexpr double kInf = std::numeric_limits<double>::infinity();

// pi/2 = kPio2_1 + kPio2_2 + kPio2_3 + O(1e-37): the first two hold 33 significant bits, so
// k * kPio2_1 and k * kPio2_2 are exact for |k| < 2^20 (Cody-Waite).
inline constexpr double kPio2_1 = 0x1.921fb544p+0;
inline constexpr double kPio2_2 = 0x1.0b4611a6p-34;
inline constexpr double kPio2_3 = 0x1.3198a2e037073p-69;
inline constexpr double kTwoOverPi = 0x1.45f306dc9c883p-1;
inline constexpr double kPio2 = 0x1.921fb54442d18p+0;     // pi/2 rounded
inline constexpr double kPio2Lo = 0x1.1a62633145c07p-54;  // pi/2 - kPio2
inline constexpr double kPi = 0x1.921fb54442d18p+1;
inline constexpr double kPiLo = 0x1.1a62633145c07p-53;
inline constexpr double kPi6 = 0x1.0c152382d7366p-1;  // pi/6 rounded
inline constexpr double kSqrt3 = 0x1.bb67ae8584caap+0;
inline constexpr double kTanPi12 = 0x1.126145e9ecd56p-2;  // 2 - sqrt(3)
// ln 2 = kLn2_1 + kLn2_2 + O(1e-27); kLn2_1 has 32 bits: k * kLn2_1 exact for |k| < 2^21.
inline constexpr double kLn2_1 = 0x1.62e42ffp-1;
inline constexpr double kLn2_2 = -0x1.718432a1b0e26p-35;
inline constexpr double kLn2 = 0x1.62e42fefa39efp-1;
inline constexpr double kInvLn2 = 0x1.71547652b82fep+0;
/// Below this |x| the Cody-Waite reduction is exact enough; above it Payne-Hanek.
inline constexpr double kFastReductionLimit = 0x1p20;

[[nodiscard]] constexpr std::uint64_t bits(double x) { return std::bit_cast<std::uint64_t>(x); }
[[nodiscard]] constexpr double from_bits(std::uint64_t b) { return std::bit_cast<double>(b); }
[[nodiscard]] constexpr bool sign_bit(double x) { return (bits(x) >> 63) != 0; }
[[nodiscard]] constexpr double abs(double x) { return from_bits(bits(x) & ~(std::uint64_t{1} << 63)); }
/// 2^k for a normal result (-1022 <= k <= 1023).
[[nodiscard]] constexpr double pow2(int k) { return from_bits(static_cast<std::uint64_t>(k + 1023) << 52); }
/// Nearest integer, halves away from zero; |x| < 2^31.
[[nodiscard]] constexpr int nearest_int(double x) { return static_cast<int>(x < 0 ? x - 0.5 : x + 0.5); }

/// x = q * pi/2 + r with |r| <= pi/4 (a little more when x * 2/pi rounds across a half), q mod 4.
struct Reduced {
  int q;
  double r;
};
/// The exact reduction of |x| >= kFastReductionLimit (finite), in portable_math.cpp.
[[nodiscard]] Reduced reduce_pio2_large(double x);

[[nodiscard]] inline Reduced reduce_pio2(double x) {
  if (!(abs(x) < kFastReductionLimit)) return reduce_pio2_large(x);
  const int k = nearest_int(x * kTwoOverPi);
  const double kd = k;
  // x - kd * kPio2_1 is exact (both products are exact and the difference fits in 53 bits).
  return {k & 3, ((x - kd * kPio2_1) - kd * kPio2_2) - kd * kPio2_3};
}

/// sin and cos on |r| <= pi/4 + a little, Taylor to r^15 and r^16 (truncation below 7e-17 relative).
[[nodiscard]] inline SinCos sin_cos_kernel(double r) {
  const double z = r * r;
  const double s =
      r + r * z *
              (-0x1.5555555555555p-3 +
               z * (0x1.1111111111111p-7 +
                    z * (-0x1.a01a01a01a01ap-13 +
                         z * (0x1.71de3a556c734p-19 +
                              z * (-0x1.ae64567f544e4p-26 + z * (0x1.6124613a86d09p-33 + z * -0x1.ae7f3e733b81fp-41))))));
  const double c =
      1.0 + z * (-0.5 + z * (0x1.5555555555555p-5 +
                             z * (-0x1.6c16c16c16c17p-10 +
                                  z * (0x1.a01a01a01a01ap-16 +
                                       z * (-0x1.27e4fb7789f5cp-22 +
                                            z * (0x1.1eed8eff8d898p-29 + z * (-0x1.93974a8c07c9dp-37 +
                                                                              z * 0x1.ae7f3e733b81fp-45)))))));
  return {s, c};
}

/// atan on |u| <= tan(pi/12) (+ rounding): u + u^3 A(u^2), A a degree-7 Chebyshev fit (error 6e-17 relative).
[[nodiscard]] inline double atan_kernel(double u) {
  const double z = u * u;
  const double a =
      -0x1.5555555555545p-2 +
      z * (0x1.999999998bca2p-3 +
           z * (-0x1.24924914c06e6p-3 +
                z * (0x1.c71c63eff3e17p-4 +
                     z * (-0x1.745a1b8fbb937p-4 +
                          z * (0x1.3ab9ce75d5ccdp-4 + z * (-0x1.0b24aa2c66b9ap-4 + z * 0x1.771359ff8d267p-5))))));
  return u + u * z * a;
}

/// exp(x) = 2^k * p with p = exp(r), |r| <= ln2/2; |x| <= 746.
struct ExpParts {
  int k;
  double p;
};
[[nodiscard]] inline ExpParts exp_parts(double x) {
  const int k = nearest_int(x * kInvLn2);
  const double kd = k;
  const double r = (x - kd * kLn2_1) - kd * kLn2_2;  // the first difference is exact
  // Taylor to r^13: truncation below 5e-18 relative on |r| <= 0.347.
  const double p =
      1.0 +
      r * (1.0 +
           r * (0.5 +
                r * (0x1.5555555555555p-3 +
                     r * (0x1.5555555555555p-5 +
                          r * (0x1.1111111111111p-7 +
                               r * (0x1.6c16c16c16c17p-10 +
                                    r * (0x1.a01a01a01a01ap-13 +
                                         r * (0x1.a01a01a01a01ap-16 +
                                              r * (0x1.71de3a556c734p-19 +
                                                   r * (0x1.27e4fb7789f5cp-22 +
                                                        r * (0x1.ae64567f544e4p-26 +
                                                             r * (0x1.1eed8eff8d898p-29 +
                                                                  r * 0x1.6124613a86d09p-33))))))))))));
  return {k, p};
}

/// p * 2^k for any int k in the exp range (overflow to inf, gradual underflow).
[[nodiscard]] inline double scale(double p, int k) {
  if (k > 1023) return p * 0x1p1023 * pow2(k - 1023);
  if (k < -1022) return p * pow2(k + 600) * 0x1p-600;
  return p * pow2(k);
}

}  // namespace detail

/// sin(x) and cos(x) together (one argument reduction).
[[nodiscard]] inline SinCos sin_cos(double x) {
  if (detail::abs(x) < 0x1p-27) return {x, 1.0};  // sin x = x - x^3/6: x^2/6 < 2^-56 (keeps -0)
  if (!(detail::abs(x) <= std::numeric_limits<double>::max())) return {detail::kNaN, detail::kNaN};
  const auto [q, r] = detail::reduce_pio2(x);
  const auto [s, c] = detail::sin_cos_kernel(r);
  switch (q) {
    case 0: return {s, c};
    case 1: return {c, -s};
    case 2: return {-s, -c};
    default: return {-c, s};
  }
}
[[nodiscard]] inline double sin(double x) { return sin_cos(x).sin; }
[[nodiscard]] inline double cos(double x) { return sin_cos(x).cos; }
/// tan = sin / cos: next to the poles the reduced argument is relatively accurate, so is the ratio.
[[nodiscard]] inline double tan(double x) {
  const SinCos sc = sin_cos(x);
  return sc.sin / sc.cos;
}

/// x - 2 pi n in [-pi, pi] (pi rounded to double; +pi for an odd multiple of pi, as atan2 gives).
[[nodiscard]] inline double wrap_to_pi(double x) {
  if (x >= -detail::kPi && x <= detail::kPi) return x;
  if (!(detail::abs(x) <= std::numeric_limits<double>::max())) return detail::kNaN;
  const auto [q, r] = detail::reduce_pio2(x);
  switch (q) {
    case 0: return r;
    case 1: return (r + detail::kPio2) + detail::kPio2Lo;
    case 2: return r > 0 ? (r - detail::kPi) - detail::kPiLo : (r + detail::kPi) + detail::kPiLo;
    default: return (r - detail::kPio2) - detail::kPio2Lo;
  }
}

/// atan2 with C's conventions: result in [-pi, pi], sign of y (also for signed zeros).
[[nodiscard]] inline double atan2(double y, double x) {
  using namespace detail;
  if (x != x || y != y) return x + y;
  const double ax = abs(x), ay = abs(y);
  double a;
  if (ay == 0.0) {
    a = sign_bit(x) ? kPi : 0.0;
  } else if (ax == kInf) {
    a = ay == kInf ? (sign_bit(x) ? 3 * (kPi / 4) : kPi / 4) : (sign_bit(x) ? kPi : 0.0);
  } else if (ay == kInf || ax == 0.0) {
    a = kPio2;
  } else {
    const bool swap = ay > ax;
    const double t = swap ? ax / ay : ay / ax;  // in [0, 1]
    // atan t = pi/6 + atan((t sqrt3 - 1) / (t + sqrt3)): brings t to |u| <= tan(pi/12).
    a = t > kTanPi12 ? kPi6 + atan_kernel((t * kSqrt3 - 1.0) / (t + kSqrt3)) : atan_kernel(t);
    if (swap) a = (kPio2 - a) + kPio2Lo;
    if (sign_bit(x)) a = (kPi - a) + kPiLo;
  }
  return sign_bit(y) ? -a : a;
}

[[nodiscard]] inline double exp(double x) {
  if (x != x) return x;
  if (x > 709.782712893384) return detail::kInf;
  if (x < -745.1332191019412) return 0.0;
  const auto [k, p] = detail::exp_parts(x);
  return detail::scale(p, k);
}

[[nodiscard]] inline double log(double x) {
  using namespace detail;
  if (!(x > 0.0)) return x == 0.0 ? -kInf : kNaN;
  if (x == kInf) return x;
  int e = 0;
  std::uint64_t b = bits(x);
  if (b < (std::uint64_t{1} << 52)) {  // subnormal: make it normal
    b = bits(x * 0x1p54);
    e = -54;
  }
  e += static_cast<int>(b >> 52) - 1023;
  // m in [sqrt(1/2), sqrt(2)): m = 1 + f with f exact, log m = 2 atanh(s), s = f / (2 + f).
  std::uint64_t mant = b & ((std::uint64_t{1} << 52) - 1);
  if (mant > 0x6a09e667f3bcdULL) {  // mantissa of sqrt(2)
    mant |= std::uint64_t{1022} << 52;
    ++e;
  } else {
    mant |= std::uint64_t{1023} << 52;
  }
  const double f = from_bits(mant) - 1.0;
  const double s = f / (2.0 + f);
  const double z = s * s;
  // atanh(s)/s = 1 + z Q(z), Q a degree-6 Chebyshev fit on z <= (3 - 2 sqrt2)^2 (error 5e-18 relative).
  const double q =
      0x1.5555555555558p-2 +
      z * (0x1.99999999952e2p-3 +
           z * (0x1.2492492df148dp-3 +
                z * (0x1.c71c62e5800a1p-4 +
                     z * (0x1.7462b4ab2ef6bp-4 + z * (0x1.39fe606542ddep-4 + z * 0x1.2b584aae78a57p-4)))));
  const double two_s = 2.0 * s;
  const double ed = e;
  return ed * kLn2_1 + (two_s + (two_s * z * q + ed * kLn2_2));
}

/// log(1 + x), accurate for small x: log of the rounded 1 + x, plus the first-order correction for
/// the rounding (Goldberg).
[[nodiscard]] inline double log1p(double x) {
  const double w = 1.0 + x;
  if (w == 1.0) return x;
  if (!(w > 0.0) || w == detail::kInf) return log(w);
  return log(w) + (x - (w - 1.0)) / w;
}

[[nodiscard]] inline SinhCosh sinh_cosh(double x) {
  using namespace detail;
  const double a = abs(x);
  if (a < 0.5) {  // Taylor to x^15 / x^16: truncation below 1e-16 relative
    const double z = x * x;
    const double s =
        x + x * z *
                (0x1.5555555555555p-3 +
                 z * (0x1.1111111111111p-7 +
                      z * (0x1.a01a01a01a01ap-13 +
                           z * (0x1.71de3a556c734p-19 +
                                z * (0x1.ae64567f544e4p-26 + z * (0x1.6124613a86d09p-33 + z * 0x1.ae7f3e733b81fp-41))))));
    const double c =
        1.0 + z * (0.5 + z * (0x1.5555555555555p-5 +
                              z * (0x1.6c16c16c16c17p-10 +
                                   z * (0x1.a01a01a01a01ap-16 +
                                        z * (0x1.27e4fb7789f5cp-22 +
                                             z * (0x1.1eed8eff8d898p-29 + z * 0x1.93974a8c07c9dp-37))))));
    return {s, c};
  }
  if (a != a) return {x, x};
  double half_e;  // exp(a) / 2
  if (a < 709.0) {
    const double e = exp(a);
    if (a < 22.0) {  // above, 1/e is below 2^-63 of e
      const double inv = 1.0 / e;
      const double s = 0.5 * (e - inv);
      return {x < 0 ? -s : s, 0.5 * (e + inv)};
    }
    half_e = 0.5 * e;
  } else {
    const double h = exp(0.5 * a);  // exp(a)/2 = h * (h/2), no intermediate overflow
    half_e = h * (0.5 * h);
  }
  return {x < 0 ? -half_e : half_e, half_e};
}
[[nodiscard]] inline double sinh(double x) { return sinh_cosh(x).sinh; }
[[nodiscard]] inline double cosh(double x) { return sinh_cosh(x).cosh; }

[[nodiscard]] inline double asinh(double x) {
  using namespace detail;
  const double a = abs(x);
  double r;
  if (!(a >= 0x1p-28)) return x;  // asinh x = x - x^3/6: relative x^2/6 < 2^-58; also -0 and NaN
  if (a < 0.5) {
    // log1p(a + a^2 / (1 + sqrt(1 + a^2))) = log(a + sqrt(1 + a^2)) without the cancellation.
    r = log1p(a + a * a / (1.0 + std::sqrt(1.0 + a * a)));
  } else if (a < 0x1p28) {
    r = log(a + std::sqrt(a * a + 1.0));
  } else {
    r = log(a) + kLn2;  // sqrt(a^2 + 1) = a within 2^-57 relative
  }
  return x < 0 ? -r : r;
}

/// sqrt(x^2 + y^2) with scaling against overflow and underflow (error below 1.5 ulp).
[[nodiscard]] inline double hypot(double x, double y) {
  using namespace detail;
  double ax = abs(x), ay = abs(y);
  if (ax == kInf || ay == kInf) return kInf;
  if (ax != ax || ay != ay) return x + y;
  const double big = ax > ay ? ax : ay;
  if (big > 0x1p500) {
    ax *= 0x1p-600;
    ay *= 0x1p-600;
    return std::sqrt(ax * ax + ay * ay) * 0x1p600;
  }
  if (big < 0x1p-500) {
    ax *= 0x1p600;
    ay *= 0x1p600;
    return std::sqrt(ax * ax + ay * ay) * 0x1p-600;
  }
  return std::sqrt(ax * ax + ay * ay);
}

/// x^(-1/3): exp(-log(x)/3) refined by one Newton step on y^-3 = x (a few ulp).
[[nodiscard]] inline double inverse_cbrt(double x) {
  if (!(x > 0.0)) return x == 0.0 ? detail::kInf : detail::kNaN;
  if (x == detail::kInf) return 0.0;
  const double y = exp(log(x) * (-1.0 / 3.0));
  return y + y * (1.0 - x * y * y * y) * (1.0 / 3.0);
}

}  // namespace l1emu::stream::portable_math
