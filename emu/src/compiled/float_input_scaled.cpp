// Compiled with -fno-trapping-math (emu/CMakeLists.txt): GCC vectorizes floor/ceil/trunc only
// when it may ignore floating-point exception flags, which nothing here reads. The values are the
// same either way.
#include "l1emu/emu/compiled/float_input_scaled.h"

#include "l1emu/emu/compiled/float_kernel_modes.h"

#include <cmath>
#include <cstring>

namespace l1emu::emu {
namespace {

constexpr float kExactBelow = 8388608.0f;  // 2^23: from here on every float is an integer
constexpr float kBound = 1073741824.0f;    // 2^30: beyond every code of a type of at most 30 bits
constexpr float kWrapRange = 2147483648.0f;  // 2^31: cvttps2dq's exact range

// Round half to even, as AP_RND_CONV rounds. GCC's builtin is one instruction that carries its own
// mode; clang 14 (the sanitizer presets) has no such builtin, so there the tie is found and moved
// by hand: round() takes a tie away from zero, and an odd result then goes one back toward zero
// (every step exact: t - trunc(t), fmod by 2 and r -+ 1 of floats that are integers below 2^24).
inline float round_half_even(float t) {
#if __has_builtin(__builtin_roundevenf)
  return __builtin_roundevenf(t);
#else
  const float r = __builtin_roundf(t);
  const bool tie = __builtin_fabsf(t - __builtin_truncf(t)) == 0.5f;
  return tie && __builtin_fmodf(r, 2.0f) != 0.0f ? r - __builtin_copysignf(1.0f, t) : r;
#endif
}

template <emu::Quantization Q>
inline float round_to_integer(float t) {
  using emu::Quantization;
  const float a = t < 0 ? -t : t;
  if constexpr (Q == Quantization::Trn) return __builtin_floorf(t);
  if constexpr (Q == Quantization::TrnZero) return __builtin_truncf(t);
  if constexpr (Q == Quantization::RndConv) return round_half_even(t);
  float r = t;
  if constexpr (Q == Quantization::Rnd) r = __builtin_floorf(t + 0.5f);
  if constexpr (Q == Quantization::RndMinInf) r = __builtin_ceilf(t - 0.5f);
  if constexpr (Q == Quantization::RndInf) r = __builtin_copysignf(__builtin_floorf(a + 0.5f), t);
  if constexpr (Q == Quantization::RndZero) r = __builtin_copysignf(__builtin_ceilf(a - 0.5f), t);
  return a < kExactBelow ? r : t;
}

template <emu::Quantization Q, emu::Overflow O, bool kSigned>
void convert(const float* in, std::size_t n, const ScaledFloatType& type, std::int32_t* out, std::int32_t* slow) {
  const float scale = type.scale;
  const std::int32_t lo = type.min, hi = type.max;
  const int wrap_shift = type.wrap_shift;
  for (std::size_t i = 0; i < n; ++i) {
    std::uint32_t u;
    std::memcpy(&u, in + i, sizeof u);
    float v;
    std::memcpy(&v, &u, sizeof v);
    const float t = v * scale;
    const float r = round_to_integer<Q>(t);
    std::int32_t code = 0;
    std::int32_t out_of_range = 0;
    if constexpr (O == emu::Overflow::Wrap) {
      const float a = r < 0 ? -r : r;
      out_of_range = !(a < kWrapRange);
      const auto low = static_cast<std::uint32_t>(static_cast<std::int32_t>(a < kWrapRange ? r : 0.0f)) << wrap_shift;
      if constexpr (kSigned) {
        code = static_cast<std::int32_t>(low) >> wrap_shift;
      } else {
        code = static_cast<std::int32_t>(low >> wrap_shift);
      }
    } else {
      const auto c = static_cast<std::int32_t>(!(r >= -kBound) ? -kBound : (r > kBound ? kBound : r));  // NaN (flagged): -2^30
      if constexpr (O == emu::Overflow::SatZero) {
        code = (c < lo || c > hi) ? 0 : c;
      } else {
        code = c < lo ? lo : (c > hi ? hi : c);
      }
    }
    out[i] = code;
    const std::uint32_t exponent = u & 0x7f800000U, mantissa = u & 0x7fffffU;
    slow[i] = static_cast<std::int32_t>((exponent == 0 && mantissa != 0) || exponent == 0x7f800000U) | out_of_range;
  }
}

}  // namespace

ScaledFloatType ScaledFloatType::make(const emu::FixedType& t) {
  ScaledFloatType k;
  const int f = t.fractional_bits();
  k.supported = !t.is_integer && t.width <= 30 && f >= 0 && f <= 100 && !(t.overflow == emu::Overflow::Wrap && t.saturation_bits > 0);
  if (!k.supported) return k;
  k.quantization = t.quantization;
  k.overflow = t.overflow;
  k.is_signed = t.is_signed;
  k.scale = std::ldexp(1.0f, f);
  k.max = t.is_signed ? (std::int32_t{1} << (t.width - 1)) - 1 : (std::int32_t{1} << t.width) - 1;
  k.min = t.is_signed ? -(std::int32_t{1} << (t.width - 1)) : 0;
  if (t.overflow == emu::Overflow::SatSym && t.is_signed) k.min = -k.max;
  k.wrap_shift = 32 - t.width;
  return k;
}

void scaled_float_codes(const float* in, std::size_t n, const ScaledFloatType& t, std::int32_t* out, std::int32_t* slow) {
  with_modes(t.quantization, t.overflow, t.is_signed, [&]<emu::Quantization Q, emu::Overflow O, bool kSigned>() { convert<Q, O, kSigned>(in, n, t, out, slow); });
}

}  // namespace l1emu::emu
