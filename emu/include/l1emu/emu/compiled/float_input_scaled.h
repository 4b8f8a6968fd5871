#pragma once
// float32 values to codes of a narrow type in float arithmetic: a third of the instructions of the
// integer kernel (float_input_kernel.h), for the input types most models have (at most 30 bits,
// 0 to 100 fraction bits), where Model.predict's conversion cost as much as the model's largest layer.
//
// With F fraction bits the code of v is the rounding of t = v x 2^F to an integer. That product is
// exact: 2^F is a power of two and F >= 0, so no normal or subnormal v loses a bit; a finite v
// whose t overflows to infinity is flagged. Each mode is then one exact float operation:
//   AP_TRN floor(t); AP_TRN_ZERO trunc(t); AP_RND_CONV round-half-even(t);
//   AP_RND floor(t + 1/2); AP_RND_MIN_INF ceil(t - 1/2);
//   AP_RND_INF sign(t) floor(|t| + 1/2); AP_RND_ZERO sign(t) ceil(|t| - 1/2),
// where |t| < 2^23 makes t +- 1/2 exact (its ulp is at most 1/2), and a larger |t| is already an
// integer (taken as it is). The rounding instructions carry their mode (they do not read MXCSR's).
// Overflow: SAT/SAT_SYM clamp, SAT_ZERO zero outside [min, max] after bounding the integer to
// +-2^30 (beyond every code of a 30-bit type, so the bound decides as the exact value would); WRAP
// keeps the low W bits of the exact integer, flagged when |t| >= 2^31 (cvttps2dq's range).
// Subnormal inputs are flagged too: code that sets the denormals-are-zero flag (a library built
// with -ffast-math) would make the hardware read them as zero. Infinities and NaN are flagged.
#include <cstddef>
#include <cstdint>

#include "l1emu/emu/fixed/fixed_type.h"

namespace l1emu::emu {

/// A destination type prepared for scaled_float_codes.
struct ScaledFloatType {
  bool supported = false;
  emu::Quantization quantization = emu::Quantization::Trn;
  emu::Overflow overflow = emu::Overflow::Wrap;
  bool is_signed = true;
  float scale = 1;                  // 2^F
  std::int32_t min = 0, max = 0;    // the range (SAT_SYM signed: -max .. max)
  int wrap_shift = 0;               // WRAP: 32 - W

  /// Fixed-point types (not ap_int: its (-0.5, 0) -> +1 rule) of at most 30 bits with 0 <= F <= 100,
  /// WRAP without saturation bits or any SAT mode.
  static ScaledFloatType make(const emu::FixedType& t);
};

/// Codes of `n` floats into out[]; slow[i] nonzero where out[i] must come from the exact scalar path.
void scaled_float_codes(const float* in, std::size_t n, const ScaledFloatType& t, std::int32_t* out, std::int32_t* slow);

}  // namespace l1emu::emu
