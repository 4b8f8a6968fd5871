// Compiled once per instruction set (Highway's foreach_target re-includes this file); see
// dense_pairs.h for the arithmetic.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "compiled/dense_pairs.cpp"
#include <hwy/foreach_target.h>  // must come before highway.h
#include <hwy/highway.h>

#include "compiled/dense_pairs.h"

HWY_BEFORE_NAMESPACE();
namespace l1emu::emu::compiled {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

#if HWY_TARGET == HWY_SCALAR
// One lane cannot hold a pair: plain loops.
void DensePairs(const PairsDense& k, const std::int32_t* HWY_RESTRICT x, std::size_t batch, std::int32_t* HWY_RESTRICT out,
                const QuadsDense* /*quads*/) {
  for (std::size_t j = 0; j < k.n_out; ++j) {
    for (std::size_t e = 0; e < batch; ++e) {
      auto sum = static_cast<std::uint32_t>(k.start[j]);
      for (std::size_t i = 0; i < k.n_in; ++i) {
        const std::uint32_t pair = static_cast<std::uint32_t>(k.w[(i / 2) * k.n_out + j]);
        const auto w = static_cast<std::int16_t>(i % 2 == 0 ? pair & 0xFFFFU : pair >> 16);
        sum += static_cast<std::uint32_t>(x[i * batch + e] * w);
      }
      out[j * batch + e] = static_cast<std::int32_t>(sum);
    }
  }
}
#else

using D32 = hn::ScalableTag<std::int32_t>;
using D16 = hn::Repartition<std::int16_t, D32>;

#if HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL
constexpr std::size_t kMaxBlock = 8;  // 2 x 8 accumulators of AVX-512's 32 registers
#else
constexpr std::size_t kMaxBlock = 4;  // 2 x 4 of AVX2's and SSE's 16
#endif

// ReorderWidenMulAccumulate only promises that sum0 + sum1 (RearrangeToOddPlusEven) is the sum of
// all products (Highway's quick_reference.md): x86 (pmaddwd) adds both products of a pair into
// sum0 and leaves sum1 alone, but EMU128 adds the even products into sum0 and the odd ones into
// sum1. So each accumulator keeps its own sum1, combined at the end: on x86 it stays zero and the
// compiler drops it, and RearrangeToOddPlusEven returns sum0 (issue 17: EMU128 lost every odd input).
template <std::size_t O>
HWY_INLINE void block(const PairsDense& k, const std::int32_t* HWY_RESTRICT packed, std::size_t batch, std::size_t j0,
                      std::int32_t* HWY_RESTRICT out) {
  const D32 d32;
  const D16 d16;
  const std::size_t n = hn::Lanes(d32);
  for (std::size_t e = 0; e < batch; e += 2 * n) {
    hn::Vec<D32> acc0[O], acc1[O], odd0[O], odd1[O];
    for (std::size_t j = 0; j < O; ++j) {
      acc0[j] = acc1[j] = hn::Set(d32, k.start[j0 + j]);
      odd0[j] = odd1[j] = hn::Zero(d32);
    }
    for (std::size_t p = 0; p < k.n_pairs; ++p) {
      const auto x0 = hn::BitCast(d16, hn::Load(d32, packed + p * batch + e));
      const auto x1 = hn::BitCast(d16, hn::Load(d32, packed + p * batch + e + n));
      const std::int32_t* wp = k.w.data() + p * k.n_out + j0;
      for (std::size_t j = 0; j < O; ++j) {
        const auto w = hn::BitCast(d16, hn::Set(d32, wp[j]));
        acc0[j] = hn::ReorderWidenMulAccumulate(d32, x0, w, acc0[j], odd0[j]);
        acc1[j] = hn::ReorderWidenMulAccumulate(d32, x1, w, acc1[j], odd1[j]);
      }
    }
    for (std::size_t j = 0; j < O; ++j) {
      hn::StoreU(hn::RearrangeToOddPlusEven(acc0[j], odd0[j]), d32, out + (j0 + j) * batch + e);
      hn::StoreU(hn::RearrangeToOddPlusEven(acc1[j], odd1[j]), d32, out + (j0 + j) * batch + e + n);
    }
  }
}

void DensePairs(const PairsDense& k, const std::int32_t* HWY_RESTRICT x, std::size_t batch, std::int32_t* HWY_RESTRICT out,
                const QuadsDense* quads) {
#if HWY_TARGET == HWY_AVX3_DL
  // CPUs of this class have AVX-512 VNNI; checked once all the same.
  static const bool vnni = __builtin_cpu_supports("avx512vnni");
  if (vnni) {
    if (quads != nullptr) {
      dense_quads_vnni(*quads, x, batch, out);
    } else {
      dense_pairs_vnni(k, x, batch, out);
    }
    return;
  }
#else
  (void)quads;  // byte quads need VNNI: the pairs compute the same sums
#endif
  const D32 d32;
  const std::size_t n = hn::Lanes(d32);
  // Per pair and event: input 2p in the low 16 bits, 2p+1 in the high (zero past n_in).
  HWY_ALIGN std::int32_t packed[128 * 256];
  const auto low16 = hn::Set(d32, 0xFFFF);
  for (std::size_t p = 0; p < k.n_pairs; ++p) {
    const std::int32_t* lo = x + 2 * p * batch;
    const bool has_hi = 2 * p + 1 < k.n_in;
    for (std::size_t e = 0; e < batch; e += n) {
      const auto hi = has_hi ? hn::ShiftLeft<16>(hn::LoadU(d32, lo + batch + e)) : hn::Zero(d32);
      hn::Store(hn::Or(hn::And(hn::LoadU(d32, lo + e), low16), hi), d32, packed + p * batch + e);
    }
  }
  std::size_t j0 = 0;
  for (; j0 + kMaxBlock <= k.n_out; j0 += kMaxBlock) block<kMaxBlock>(k, packed, batch, j0, out);
  switch (k.n_out - j0) {
    case 1: block<1>(k, packed, batch, j0, out); break;
    case 2: block<2>(k, packed, batch, j0, out); break;
    case 3: block<3>(k, packed, batch, j0, out); break;
#if HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL
    case 4: block<4>(k, packed, batch, j0, out); break;
    case 5: block<5>(k, packed, batch, j0, out); break;
    case 6: block<6>(k, packed, batch, j0, out); break;
    case 7: block<7>(k, packed, batch, j0, out); break;
#endif
    default: break;
  }
}
#endif

}  // namespace HWY_NAMESPACE
}  // namespace l1emu::emu::compiled
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace l1emu::emu::compiled {

HWY_EXPORT(DensePairs);

void dense_pairs(const PairsDense& dense, const std::int32_t* x, std::size_t batch, std::int32_t* out, const QuadsDense* quads) {
  HWY_DYNAMIC_DISPATCH(DensePairs)(dense, x, batch, out, quads);
}

}  // namespace l1emu::emu::compiled
#endif
