// Compiled once per instruction set (Highway's foreach_target re-includes this file); see
// batch_norm_rows.h for the arithmetic.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "compiled/batch_norm_rows.cpp"
#include <hwy/foreach_target.h>  // must come before highway.h
#include <hwy/highway.h>

#include "compiled/batch_norm_rows.h"

HWY_BEFORE_NAMESPACE();
namespace l1emu::emu::compiled {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET == HWY_SCALAR
// One lane cannot hold a pair of 16-bit halves: the same arithmetic with a 32-bit multiply.
void BatchNorm16(const BatchNorm16Rows& k, const std::int32_t* HWY_RESTRICT x, std::int32_t* HWY_RESTRICT y, std::size_t rows,
                 std::size_t batch) {
  for (std::size_t i = 0; i < rows; ++i) {
    const auto s = static_cast<std::int16_t>(k.scale[i]);
    for (std::size_t e = 0; e < batch; ++e) {
      const std::int32_t p = x[i * batch + e] * s;
      std::uint32_t t;
      if (k.folded) {
        t = (static_cast<std::uint32_t>(p) << (k.drop - k.first_shift)) + (static_cast<std::uint32_t>(k.bias[i]) << k.drop);
      } else if (k.paper) {
        t = (static_cast<std::uint32_t>(p >> k.first_shift) << (k.align + k.drop)) + (static_cast<std::uint32_t>(k.bias[i]) << k.drop);
      } else {
        t = static_cast<std::uint32_t>(((static_cast<std::uint32_t>(p) << k.align) + static_cast<std::uint32_t>(k.bias[i])));
        t = static_cast<std::uint32_t>(static_cast<std::int32_t>(t) >> k.final_shift) << k.drop;
      }
      y[i * batch + e] = static_cast<std::int32_t>(t) >> k.drop;
    }
  }
}
#else

using D32 = hn::ScalableTag<std::int32_t>;
using D16 = hn::Repartition<std::int16_t, D32>;
using DU32 = hn::RebindToUnsigned<D32>;

// Shifts by a count known only at run time. From AVX2 on, the per-lane form (vpsravd, vpsllvd:
// one micro-op on Intel) with the count broadcast; the shift by an xmm count (ShiftRightSame,
// vpsrad zmm, zmm, xmm) is two micro-ops there, one of them on the shuffle port.
#if HWY_TARGET <= HWY_AVX2
HWY_INLINE hn::Vec<D32> shift_right(hn::Vec<D32> v, hn::Vec<D32> count, int) { return hn::Shr(v, count); }
HWY_INLINE hn::Vec<D32> shift_left(hn::Vec<D32> v, hn::Vec<D32> count, int) { return hn::Shl(v, count); }
#else
HWY_INLINE hn::Vec<D32> shift_right(hn::Vec<D32> v, hn::Vec<D32>, int count) { return hn::ShiftRightSame(v, count); }
HWY_INLINE hn::Vec<D32> shift_left(hn::Vec<D32> v, hn::Vec<D32>, int count) { return hn::ShiftLeftSame(v, count); }
#endif

void BatchNorm16(const BatchNorm16Rows& k, const std::int32_t* HWY_RESTRICT x, std::int32_t* HWY_RESTRICT y, std::size_t rows,
                 std::size_t batch) {
  const D32 d32;
  const D16 d16;
  const std::size_t n = hn::Lanes(d32);
  // The plan's numbers as locals: read through `k`, the compiler reloads them after every store
  // to y (an int32 store may alias them).
  const int first_shift = k.first_shift, up = k.align + k.drop, align = k.align, final_shift = k.final_shift, drop = k.drop;
  const auto v_first = hn::Set(d32, first_shift), v_up = hn::Set(d32, up), v_align = hn::Set(d32, align);
  const auto v_final = hn::Set(d32, final_shift), v_drop = hn::Set(d32, drop);
  const bool paper = k.paper, folded = k.folded;
  const int lift = folded ? drop - first_shift : 0;  // batch_norm_rows.h: BatchNorm16Rows::folded
  const auto v_lift = hn::Set(d32, lift);
  for (std::size_t i = 0; i < rows; ++i) {
    // The scale's high 16 bits are zero (elementwise_kernels.cpp), so the odd products, which
    // ReorderWidenMulAccumulate may put in its second sum (EMU128 does), are zero: the first sum
    // alone is x * scale on every target.
    const auto s = hn::BitCast(d16, hn::Set(d32, k.scale[i]));
    const std::int32_t* xi = x + i * batch;
    std::int32_t* yi = y + i * batch;
    if (folded) {
      const auto b = hn::Set(d32, static_cast<std::int32_t>(static_cast<std::uint32_t>(k.bias[i]) << drop));
      for (std::size_t e = 0; e < batch; e += n) {
        auto unused = hn::Zero(d32);
        const auto p = hn::ReorderWidenMulAccumulate(d32, hn::BitCast(d16, hn::LoadU(d32, xi + e)), s, hn::Zero(d32), unused);
        hn::StoreU(shift_right(hn::Add(shift_left(p, v_lift, lift), b), v_drop, drop), d32, yi + e);
      }
    } else if (paper) {
      // (r << (align + drop)) + (b << drop) is (r << align) + b at the top of the word: the wrap
      // into W bits is the arithmetic shift back.
      const auto b = hn::Set(d32, static_cast<std::int32_t>(static_cast<std::uint32_t>(k.bias[i]) << drop));
      for (std::size_t e = 0; e < batch; e += n) {
        auto unused = hn::Zero(d32);
        const auto p = hn::ReorderWidenMulAccumulate(d32, hn::BitCast(d16, hn::LoadU(d32, xi + e)), s, hn::Zero(d32), unused);
        const auto r = shift_left(shift_right(p, v_first, first_shift), v_up, up);
        hn::StoreU(shift_right(hn::Add(r, b), v_drop, drop), d32, yi + e);
      }
    } else {
      const auto b = hn::Set(d32, k.bias[i]);
      for (std::size_t e = 0; e < batch; e += n) {
        auto unused = hn::Zero(d32);
        const auto p = hn::ReorderWidenMulAccumulate(d32, hn::BitCast(d16, hn::LoadU(d32, xi + e)), s, hn::Zero(d32), unused);
        const auto t = shift_right(hn::Add(shift_left(p, v_align, align), b), v_final, final_shift);
        hn::StoreU(shift_right(shift_left(t, v_drop, drop), v_drop, drop), d32, yi + e);
      }
    }
  }
}
#endif

}  // namespace HWY_NAMESPACE
}  // namespace l1emu::emu::compiled
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace l1emu::emu::compiled {

HWY_EXPORT(BatchNorm16);

void batch_norm_16(const BatchNorm16Rows& k, const std::int32_t* x, std::int32_t* y, std::size_t rows, std::size_t batch) {
  HWY_DYNAMIC_DISPATCH(BatchNorm16)(k, x, y, rows, batch);
}

}  // namespace l1emu::emu::compiled
#endif
