// Compiled once per instruction set (Highway's foreach_target re-includes this file); see
// table_index_gather.h.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "compiled/table_index_gather.cpp"
#include <hwy/foreach_target.h>  // must come before highway.h
#include <hwy/highway.h>

#include "compiled/table_index_gather.h"

#include <algorithm>

HWY_BEFORE_NAMESPACE();
namespace l1emu::emu::compiled {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

void GatherClampedIndex(const std::int32_t* HWY_RESTRICT v, std::size_t n, std::int32_t scale, std::int32_t offset, int frac,
                        std::int32_t last, const std::int32_t* HWY_RESTRICT table, std::int32_t* HWY_RESTRICT out) {
  const hn::ScalableTag<std::int32_t> d;
  const std::size_t lanes = hn::Lanes(d);
  // t < 2^31, so t >> 31 is 0 (t >= 0) or -1 (t < 0), the same clamped index as any larger shift.
  const int shift = std::min(frac, 31);
  const auto vscale = hn::Set(d, scale), voffset = hn::Set(d, offset), zero = hn::Zero(d), vlast = hn::Set(d, last);
  std::size_t e = 0;
  for (; e + lanes <= n; e += lanes) {
    const auto t = hn::Add(hn::Mul(hn::LoadU(d, v + e), vscale), voffset);
    // A negative t has a negative floor: the max with 0 is the reference's "t < 0 gives 0".
    const auto index = hn::Min(hn::Max(hn::ShiftRightSame(t, shift), zero), vlast);
    hn::StoreU(hn::GatherIndex(d, table, index), d, out + e);
  }
  for (; e < n; ++e) {
    const std::int32_t t = v[e] * scale + offset;
    out[e] = table[std::min(std::max(t >> shift, 0), last)];
  }
}

}  // namespace HWY_NAMESPACE
}  // namespace l1emu::emu::compiled
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace l1emu::emu::compiled {

HWY_EXPORT(GatherClampedIndex);

void gather_clamped_index(const std::int32_t* v, std::size_t n, std::int32_t scale, std::int32_t offset, int frac, std::int32_t last,
                          const std::int32_t* table, std::int32_t* out) {
  HWY_DYNAMIC_DISPATCH(GatherClampedIndex)(v, n, scale, offset, frac, last, table, out);
}

}  // namespace l1emu::emu::compiled
#endif
