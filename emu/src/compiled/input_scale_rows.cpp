// Compiled once per instruction set (Highway's foreach_target re-includes this file); see
// input_scale_rows.h for the arithmetic.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "compiled/input_scale_rows.cpp"
#include <hwy/foreach_target.h>  // must come before highway.h
#include <hwy/highway.h>

#include "compiled/input_scale_rows.h"

HWY_BEFORE_NAMESPACE();
namespace l1emu::emu::compiled {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using D32 = hn::ScalableTag<std::int32_t>;
using V32 = hn::Vec<D32>;

// Shifts by a count known only at run time, as in batch_norm_rows.cpp: from AVX2 on the per-lane
// form (vpsravd, vpsllvd: one micro-op on Intel) with the count broadcast; elsewhere the shift
// by one count for all lanes.
#if HWY_TARGET <= HWY_AVX2
HWY_INLINE V32 shift_right(V32 v, V32 count, int) { return hn::Shr(v, count); }
HWY_INLINE V32 shift_left(V32 v, V32 count, int) { return hn::Shl(v, count); }
#else
HWY_INLINE V32 shift_right(V32 v, V32, int count) { return hn::ShiftRightSame(v, count); }
HWY_INLINE V32 shift_left(V32 v, V32, int count) { return hn::ShiftLeftSame(v, count); }
#endif

// The result conversion's numbers, broadcast once per call.
struct ResultConversion {
  V32 bias, neg_bias, lo, hi, mask, one, shift, left_shift, drop;
  int s, ls, d;
};

// FusedConverter<int32_t, R, O>::operator() (lane_converter.h) on a vector: the same operations
// in the same order, modulo 2^32 like the lane arithmetic.
template <int R, int O>
HWY_INLINE V32 convert(V32 c, const ResultConversion& k) {
  V32 r;
  if constexpr (R == 0) {
    r = c;
  } else if constexpr (R == 1) {
    r = shift_right(hn::Add(c, k.bias), k.shift, k.s);
  } else if constexpr (R == 2) {
    r = shift_right(hn::Add(hn::Add(c, k.bias), hn::And(hn::ShiftRight<31>(c), k.neg_bias)), k.shift, k.s);
  } else if constexpr (R == 3) {
    r = shift_right(hn::Add(hn::Add(c, k.bias), hn::And(shift_right(c, k.shift, k.s), k.one)), k.shift, k.s);
  } else {
    r = shift_left(c, k.left_shift, k.ls);
  }
  if constexpr (O == 0) {
    return r;
  } else if constexpr (O == 1) {
    return shift_right(shift_left(r, k.drop, k.d), k.drop, k.d);
  } else if constexpr (O == 2) {
    return hn::And(r, k.mask);
  } else {
    return hn::Min(hn::Max(r, k.lo), k.hi);
  }
}

template <int R, int O>
void Rows(const InputScaleRows& k, const std::int32_t* HWY_RESTRICT x, std::int32_t* HWY_RESTRICT y, std::size_t rows, std::size_t batch) {
  const D32 d;
  const std::size_t n = hn::Lanes(d);
  const ResultConversion c{hn::Set(d, k.bias), hn::Set(d, k.neg_bias), hn::Set(d, k.lo),      hn::Set(d, k.hi),
                           hn::Set(d, k.mask), hn::Set(d, 1),          hn::Set(d, k.shift),   hn::Set(d, k.left_shift),
                           hn::Set(d, k.drop), k.shift,                k.left_shift,          k.drop};
  for (std::size_t i = 0; i < rows; ++i) {
    const int left = k.left[i], right = k.right[i];
    const V32 v_left = hn::Set(d, left), v_right = hn::Set(d, right), v_offset = hn::Set(d, k.offset[i]);
    const std::int32_t* xi = x + i * batch;
    std::int32_t* yi = y + i * batch;
    for (std::size_t e = 0; e < batch; e += n) {
      const V32 unscaled = shift_right(hn::Sub(shift_left(hn::LoadU(d, xi + e), v_left, left), v_offset), v_right, right);
      hn::StoreU(convert<R, O>(unscaled, c), d, yi + e);
    }
  }
}

template <int R>
void RowsOfRounding(const InputScaleRows& k, const std::int32_t* x, std::int32_t* y, std::size_t rows, std::size_t batch) {
  switch (k.overflow) {
    case 0: Rows<R, 0>(k, x, y, rows, batch); break;
    case 1: Rows<R, 1>(k, x, y, rows, batch); break;
    case 2: Rows<R, 2>(k, x, y, rows, batch); break;
    default: Rows<R, 3>(k, x, y, rows, batch); break;
  }
}

void InputScaleRowsKernel(const InputScaleRows& k, const std::int32_t* x, std::int32_t* y, std::size_t rows, std::size_t batch) {
  switch (k.rounding) {
    case 0: RowsOfRounding<0>(k, x, y, rows, batch); break;
    case 1: RowsOfRounding<1>(k, x, y, rows, batch); break;
    case 2: RowsOfRounding<2>(k, x, y, rows, batch); break;
    case 3: RowsOfRounding<3>(k, x, y, rows, batch); break;
    default: RowsOfRounding<4>(k, x, y, rows, batch); break;
  }
}

}  // namespace HWY_NAMESPACE
}  // namespace l1emu::emu::compiled
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace l1emu::emu::compiled {

HWY_EXPORT(InputScaleRowsKernel);

void input_scale_rows(const InputScaleRows& k, const std::int32_t* x, std::int32_t* y, std::size_t rows, std::size_t batch) {
  HWY_DYNAMIC_DISPATCH(InputScaleRowsKernel)(k, x, y, rows, batch);
}

}  // namespace l1emu::emu::compiled
#endif
