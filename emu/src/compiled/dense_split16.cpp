// Compiled once per instruction set (Highway's foreach_target re-includes this file); see
// dense_split16.h for the arithmetic.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "compiled/dense_split16.cpp"
#include <hwy/foreach_target.h>  // must come before highway.h
#include <hwy/highway.h>

#include "compiled/dense_split16.h"

#include <algorithm>
#include <stdexcept>
#include <string>

HWY_BEFORE_NAMESPACE();
namespace l1emu::emu::compiled {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

using D16 = hn::ScalableTag<std::int16_t>;
using D32 = hn::Repartition<std::int32_t, D16>;
using D16Half = hn::Rebind<std::int16_t, D32>;

// Outputs kept in registers per pass: 2 x kMaxBlock accumulators, 4 input vectors and 2 weights
// fit AVX-512's 32 registers at 8, AVX2's and SSE's 16 at 4.
#if HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL
constexpr std::size_t kMaxBlock = 8;
// The direct form's block: at 8 outputs g++ 12 spills an input vector and reloads it for every
// multiply; 6 keeps them in registers (measured 22.7 -> 21.6 ns/event for a 57x32 layer, Zen 4).
constexpr std::size_t kDirectBlock = 6;
#else
constexpr std::size_t kMaxBlock = 4;
constexpr std::size_t kDirectBlock = 4;
#endif

// One block of `O` outputs starting at j0, over all events, two vectors of events per pass.
template <std::size_t O>
HWY_INLINE void block(const Split16Dense& k, const std::int16_t* HWY_RESTRICT a, const std::int16_t* HWY_RESTRICT b,
                      std::size_t j0, std::size_t batch, std::int16_t* HWY_RESTRICT out) {
  const D16 d;
  const std::size_t n = hn::Lanes(d);
  for (std::size_t e = 0; e < batch; e += 2 * n) {
    hn::Vec<D16> acc0[O], acc1[O];
    for (std::size_t j = 0; j < O; ++j) acc0[j] = acc1[j] = hn::Set(d, k.bias[j0 + j]);
    for (std::size_t i = 0; i < k.n_in; ++i) {
      const auto a0 = hn::Load(d, a + i * batch + e), a1 = hn::Load(d, a + i * batch + e + n);
      const auto b0 = hn::Load(d, b + i * batch + e), b1 = hn::Load(d, b + i * batch + e + n);
      const std::int16_t* wi = k.w.data() + i * k.n_out + j0;
      const std::int16_t* w2i = k.w2.data() + i * k.n_out + j0;
      for (std::size_t j = 0; j < O; ++j) {
        const auto w = hn::Set(d, wi[j]), w2 = hn::Set(d, w2i[j]);
        acc0[j] = hn::Add(acc0[j], hn::Add(hn::Mul(a0, w), hn::MulHigh(b0, w2)));
        acc1[j] = hn::Add(acc1[j], hn::Add(hn::Mul(a1, w), hn::MulHigh(b1, w2)));
      }
    }
    for (std::size_t j = 0; j < O; ++j) {
      hn::Store(acc0[j], d, out + (j0 + j) * batch + e);
      hn::Store(acc1[j], d, out + (j0 + j) * batch + e + n);
    }
  }
}

// The direct form: one block of `O` outputs, sum of mulhi16(x, w << (16-s)) over the inputs of
// the block's range (outside it every weight of the block is zero or a larger one).
template <std::size_t O>
HWY_INLINE void direct_block(const Split16Dense& k, const std::int16_t* HWY_RESTRICT xs, std::size_t j0, std::size_t batch,
                             std::int16_t* HWY_RESTRICT out) {
  const D16 d;
  const D32 d32;
  const std::size_t n = hn::Lanes(d);
  std::size_t lo = k.n_in, hi = 0;
  for (std::size_t j = 0; j < O; ++j) {
    lo = std::min<std::size_t>(lo, k.direct.first[j0 + j]);
    hi = std::max<std::size_t>(hi, k.direct.last[j0 + j]);
  }
  for (std::size_t e = 0; e < batch; e += 2 * n) {
    hn::Vec<D16> acc0[O], acc1[O];
    for (std::size_t j = 0; j < O; ++j) acc0[j] = acc1[j] = hn::Set(d, k.bias[j0 + j]);
    for (std::size_t i = lo; i < hi; ++i) {
      const auto x0 = hn::Load(d, xs + i * batch + e), x1 = hn::Load(d, xs + i * batch + e + n);
      const std::uint32_t* wi = k.direct.ws.data() + i * k.n_out + j0;
      for (std::size_t j = 0; j < O; ++j) {
        const auto w = hn::BitCast(d, hn::Set(d32, static_cast<std::int32_t>(wi[j])));  // both halves hold the weight
        acc0[j] = hn::Add(acc0[j], hn::MulHigh(x0, w));
        acc1[j] = hn::Add(acc1[j], hn::MulHigh(x1, w));
      }
    }
    for (std::size_t j = 0; j < O; ++j) {
      hn::Store(acc0[j], d, out + (j0 + j) * batch + e);
      hn::Store(acc1[j], d, out + (j0 + j) * batch + e + n);
    }
  }
}

// Column lists (a, b prepared for the listed inputs only): each output sums its list, starting
// from its bias, or from `out` as it is when `onto_out` (the direct form's larger weights).
HWY_INLINE void sparse_columns(const Split16Dense& k, const Split16Sparse& sp, const std::int16_t* HWY_RESTRICT a,
                               const std::int16_t* HWY_RESTRICT b, std::size_t batch, bool onto_out, std::int16_t* HWY_RESTRICT out) {
  const D16 d;
  const std::size_t n = hn::Lanes(d);
  for (std::size_t e = 0; e < batch; e += 2 * n) {
    for (std::size_t j = 0; j < k.n_out; ++j) {
      if (onto_out && sp.begin[j] == sp.begin[j + 1]) continue;
      auto acc0 = onto_out ? hn::Load(d, out + j * batch + e) : hn::Set(d, k.bias[j]);
      auto acc1 = onto_out ? hn::Load(d, out + j * batch + e + n) : acc0;
      for (std::uint32_t p = sp.begin[j]; p < sp.begin[j + 1]; ++p) {
        const std::size_t row = std::size_t{sp.input[p]} * batch + e;
        const auto w = hn::Set(d, sp.w[p]), w2 = hn::Set(d, sp.w2[p]);
        acc0 = hn::Add(acc0, hn::Add(hn::Mul(hn::Load(d, a + row), w), hn::MulHigh(hn::Load(d, b + row), w2)));
        acc1 = hn::Add(acc1, hn::Add(hn::Mul(hn::Load(d, a + row + n), w), hn::MulHigh(hn::Load(d, b + row + n), w2)));
      }
      hn::Store(acc0, d, out + j * batch + e);
      hn::Store(acc1, d, out + j * batch + e + n);
    }
  }
}

// Split16Leaky's z of one vector of sign-extended sums (dense_split16.h). The alpha word's high
// half is zero, so the odd products, which ReorderWidenMulAccumulate may put in its second sum
// (EMU128 does), are zero: the first sum alone is x * alpha. One lane cannot hold a pair
// (HWY_SCALAR): a 32-bit multiply there. The shifts by the per-lane count from AVX2 on (vpsravd,
// one micro-op on Intel, against two for a shift by an xmm count), as in batch_norm_rows.cpp.
struct LeakyVectors {
  hn::Vec<D32> alpha, bias, zero, shift, drop;
  int s, d;
  bool has_bias;
};
HWY_INLINE hn::Vec<D32> leaky(hn::Vec<D32> x, const LeakyVectors& k) {
  const D32 d32;
#if HWY_TARGET == HWY_SCALAR
  const auto p = hn::Mul(x, hn::Set(d32, static_cast<std::int16_t>(hn::GetLane(k.alpha))));
#else
  const D16 d16;
  auto unused = hn::Zero(d32);
  const auto p = hn::ReorderWidenMulAccumulate(d32, hn::BitCast(d16, x), hn::BitCast(d16, k.alpha), hn::Zero(d32), unused);
#endif
  // A zero bias (TRN), a zero shift and no wrap (alpha*x provably inside the result: vae_paper's
  // alpha of 0.3) are skipped: branches on plan constants, taken the same way for every vector.
  auto r = k.has_bias ? hn::Add(p, k.bias) : p;
#if HWY_TARGET <= HWY_AVX2
  if (k.s != 0) r = hn::Shr(r, k.shift);
  if (k.d != 0) r = hn::Shr(hn::Shl(r, k.drop), k.drop);
#else
  if (k.s != 0) r = hn::ShiftRightSame(r, k.s);
  if (k.d != 0) r = hn::ShiftRightSame(hn::ShiftLeftSame(r, k.d), k.d);
#endif
  return hn::IfThenElse(hn::Gt(x, k.zero), x, r);
}

// The activation as a pass of its own over rows already written (after the VNNI form).
HWY_INLINE void leaky_pass(const LeakyVectors& k, const std::int32_t* HWY_RESTRICT out, std::int32_t* HWY_RESTRICT z, std::size_t lanes) {
  const D32 d32;
  for (std::size_t idx = 0; idx < lanes; idx += hn::Lanes(d32)) hn::StoreU(leaky(hn::LoadU(d32, out + idx), k), d32, z + idx);
}

void DenseSplit16(const Split16Dense& k, const std::int32_t* HWY_RESTRICT x, std::size_t batch, std::int32_t* HWY_RESTRICT out,
                  const Split16Leaky* leaky_step, std::int32_t* HWY_RESTRICT leaky_out) {
  const D32 d32;
  const std::size_t n32 = hn::Lanes(d32);
  const bool with_leaky = leaky_step != nullptr;
  const Split16Leaky none;
  const Split16Leaky& lp = with_leaky ? *leaky_step : none;
  const LeakyVectors lk{hn::Set(d32, lp.alpha), hn::Set(d32, lp.bias), hn::Zero(d32), hn::Set(d32, lp.shift), hn::Set(d32, lp.drop), lp.shift, lp.drop, lp.bias != 0};
  // a = floor(x / 2^s) and b = (x mod 2^s) << (15 - s), as 16-bit lanes (both fit: |x| < 2^15).
  if (k.n_in * batch > kSplit16MaxLanes || k.n_out * batch > kSplit16MaxLanes) {
    throw std::length_error("dense_split16: " + std::to_string(k.n_in) + " inputs or " + std::to_string(k.n_out) + " outputs of " +
                            std::to_string(batch) + " lanes exceed the kernel's scratch");
  }
  HWY_ALIGN std::int16_t a[kSplit16MaxLanes];
  HWY_ALIGN std::int16_t b[kSplit16MaxLanes];
  const int s = k.shift;
  const auto low_mask = hn::Set(d32, (1 << s) - 1);
  HWY_ALIGN std::int16_t sums[kSplit16MaxLanes];
  const std::size_t out_lanes = k.n_out * batch;  // a local: the stores to `out` could alias k's fields
#if HWY_TARGET == HWY_SCALAR
  const D16Half dh;
  const auto split_row = [&](std::size_t i) {
    for (std::size_t idx = i * batch; idx < (i + 1) * batch; idx += n32) {
      const auto v = hn::LoadU(d32, x + idx);  // lane arrays are not vector-aligned
      hn::Store(hn::DemoteTo(dh, hn::ShiftRightSame(v, s)), dh, a + idx);
      hn::Store(hn::DemoteTo(dh, hn::ShiftLeftSame(hn::And(v, low_mask), 15 - s)), dh, b + idx);
    }
  };
  const auto narrow_rows = [&](std::int16_t* xs, std::size_t lanes) {
    for (std::size_t idx = 0; idx < lanes; idx += n32) hn::Store(hn::DemoteTo(dh, hn::LoadU(d32, x + idx)), dh, xs + idx);
  };
  // Sign-extends the 16-bit sums (the accumulator codes modulo 2^16) into the int32 rows.
  const auto sign_extend_sums = [&] {
    for (std::size_t idx = 0; idx < out_lanes; idx += n32) {
      const auto v = hn::PromoteTo(d32, hn::Load(dh, sums + idx));
      hn::StoreU(v, d32, out + idx);
      if (with_leaky) hn::StoreU(leaky(v, lk), d32, leaky_out + idx);
    }
  };
#else
  // The 16-bit rows hold the events of each 2 x n32 block in the pack instruction's order
  // (ReorderDemote2To, x86 vpackssdw: per 128-bit block, 4 events of the first vector, then 4 of
  // the second), one shuffle micro-op per 2 x n32 codes instead of two per n32 for the ordered
  // DemoteTo. Every 16-bit row (x, a, b, the sums) has that order, so the lane-wise sums do not
  // see it, and sign_extend_sums undoes it: InterleaveLower/Upper of the sums with themselves put
  // each block's first and last 4 codes in the high halves of 32-bit lanes, in event order.
  const D16 d16;
  const auto split_row = [&](std::size_t i) {
    for (std::size_t idx = i * batch; idx < (i + 1) * batch; idx += 2 * n32) {
      const auto v0 = hn::LoadU(d32, x + idx), v1 = hn::LoadU(d32, x + idx + n32);  // lane arrays are not vector-aligned
      hn::Store(hn::ReorderDemote2To(d16, hn::ShiftRightSame(v0, s), hn::ShiftRightSame(v1, s)), d16, a + idx);
      hn::Store(hn::ReorderDemote2To(d16, hn::ShiftLeftSame(hn::And(v0, low_mask), 15 - s), hn::ShiftLeftSame(hn::And(v1, low_mask), 15 - s)),
                d16, b + idx);
    }
  };
  const auto narrow_rows = [&](std::int16_t* xs, std::size_t lanes) {
    for (std::size_t idx = 0; idx < lanes; idx += 2 * n32) {
      hn::Store(hn::ReorderDemote2To(d16, hn::LoadU(d32, x + idx), hn::LoadU(d32, x + idx + n32)), d16, xs + idx);
    }
  };
  // With the activation, its codes come from the same registers (the sums are read once).
  const auto sign_extend_sums = [&] {
    for (std::size_t idx = 0; idx < out_lanes; idx += 2 * n32) {
      const auto v = hn::Load(d16, sums + idx);
      const auto lo = hn::ShiftRight<16>(hn::BitCast(d32, hn::InterleaveLower(d16, v, v)));
      const auto hi = hn::ShiftRight<16>(hn::BitCast(d32, hn::InterleaveUpper(d16, v, v)));
      hn::StoreU(lo, d32, out + idx);
      hn::StoreU(hi, d32, out + idx + n32);
      if (with_leaky) {
        hn::StoreU(leaky(lo, lk), d32, leaky_out + idx);
        hn::StoreU(leaky(hi, lk), d32, leaky_out + idx + n32);
      }
    }
  };
#endif
  if (k.sparse.usable) {
    for (const std::uint16_t i : k.sparse.used_inputs) split_row(i);
    sparse_columns(k, k.sparse, a, b, batch, false, sums);
    sign_extend_sums();
    return;
  }
  if (k.direct.usable) {
    std::int16_t* xs = a;  // x itself as 16-bit lanes (it fits), in a's storage
    narrow_rows(xs, k.n_in * batch);
    std::size_t j0 = 0;
    for (; j0 + kDirectBlock <= k.n_out; j0 += kDirectBlock) direct_block<kDirectBlock>(k, xs, j0, batch, sums);
    switch (k.n_out - j0) {
      case 0: break;
      case 1: direct_block<1>(k, xs, j0, batch, sums); break;
      case 2: direct_block<2>(k, xs, j0, batch, sums); break;
      case 3: direct_block<3>(k, xs, j0, batch, sums); break;
#if HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL
      case 4: direct_block<4>(k, xs, j0, batch, sums); break;
      case 5: direct_block<5>(k, xs, j0, batch, sums); break;
      case 6: direct_block<6>(k, xs, j0, batch, sums); break;
      case 7: direct_block<7>(k, xs, j0, batch, sums); break;
#endif
      default: break;
    }
    if (k.direct.large.usable) {
      for (const std::uint16_t i : k.direct.large.used_inputs) split_row(i);  // overwrites xs: done with it
      sparse_columns(k, k.direct.large, a, b, batch, true, sums);
    }
    sign_extend_sums();
    return;
  }
#if HWY_TARGET == HWY_AVX3_DL
  // CPUs of this class have AVX-512 VNNI; checked once all the same.
  static const bool vnni = __builtin_cpu_supports("avx512vnni");
  if (vnni && k.vnni.usable && batch % 64 == 0) {
    dense_split16_vnni(k, x, batch, out);
    if (with_leaky) leaky_pass(lk, out, leaky_out, out_lanes);
    return;
  }
#endif
  for (std::size_t i = 0; i < k.n_in; ++i) split_row(i);
  std::size_t j0 = 0;
  for (; j0 + kMaxBlock <= k.n_out; j0 += kMaxBlock) block<kMaxBlock>(k, a, b, j0, batch, sums);
  switch (k.n_out - j0) {
    case 0: break;
    case 1: block<1>(k, a, b, j0, batch, sums); break;
    case 2: block<2>(k, a, b, j0, batch, sums); break;
    case 3: block<3>(k, a, b, j0, batch, sums); break;
#if HWY_TARGET == HWY_AVX3 || HWY_TARGET == HWY_AVX3_DL
    case 4: block<4>(k, a, b, j0, batch, sums); break;
    case 5: block<5>(k, a, b, j0, batch, sums); break;
    case 6: block<6>(k, a, b, j0, batch, sums); break;
    case 7: block<7>(k, a, b, j0, batch, sums); break;
#endif
    default: break;
  }
  sign_extend_sums();
}

}  // namespace HWY_NAMESPACE
}  // namespace l1emu::emu::compiled
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace l1emu::emu::compiled {

HWY_EXPORT(DenseSplit16);

namespace {

// Column lists of the weights that `keep` selects (inputs with none are not prepared).
template <class Keep>
Split16Sparse column_lists(const Split16Dense& d, Keep keep) {
  Split16Sparse sparse;
  std::vector<bool> used(d.n_in, false);
  sparse.begin.push_back(0);
  for (std::size_t j = 0; j < d.n_out; ++j) {
    for (std::size_t i = 0; i < d.n_in; ++i) {
      const std::int16_t v = d.w[i * d.n_out + j];
      if (!keep(v)) continue;
      sparse.input.push_back(static_cast<std::uint16_t>(i));
      sparse.w.push_back(v);
      sparse.w2.push_back(d.w2[i * d.n_out + j]);
      used[i] = true;
    }
    sparse.begin.push_back(static_cast<std::uint32_t>(sparse.input.size()));
  }
  for (std::size_t i = 0; i < d.n_in; ++i) {
    if (used[i]) sparse.used_inputs.push_back(static_cast<std::uint16_t>(i));
  }
  sparse.usable = !sparse.input.empty();
  return sparse;
}

}  // namespace

void Split16Dense::prepare() {
  // Sparse: at most a quarter of the weights nonzero (the dense kernels then do mostly zeros).
  sparse = Split16Sparse{};
  std::size_t nonzero = 0;
  for (const std::int16_t v : w) nonzero += v != 0 ? 1U : 0U;
  if (4 * nonzero <= n_in * n_out) {
    sparse = column_lists(*this, [](std::int16_t v) { return v != 0; });
    sparse.usable = true;  // all-zero layers too: every output is its bias
  }
  // Direct: at most one weight in 16 too large for w << (16-s) to fit 16 bits.
  direct = Split16Direct{};
  const int limit = 1 << (shift - 1);
  const auto is_large = [limit](std::int16_t v) { return v < -limit || v >= limit; };
  std::size_t large = 0;
  for (const std::int16_t v : w) large += is_large(v) ? 1U : 0U;
  if (16 * large <= n_in * n_out) {
    direct.ws.resize(w.size());
    for (std::size_t k = 0; k < w.size(); ++k) {
      const auto code = static_cast<std::uint16_t>(is_large(w[k]) ? 0 : w[k] * (1 << (16 - shift)));
      direct.ws[k] = static_cast<std::uint32_t>(code) | (static_cast<std::uint32_t>(code) << 16);
    }
    direct.first.assign(n_out, 0);
    direct.last.assign(n_out, 0);
    for (std::size_t j = 0; j < n_out; ++j) {
      std::size_t lo = n_in, hi = 0;
      for (std::size_t i = 0; i < n_in; ++i) {
        if (direct.ws[i * n_out + j] == 0) continue;
        lo = std::min(lo, i);
        hi = i + 1;
      }
      direct.first[j] = static_cast<std::uint16_t>(lo);  // n_in and 0 for a column without any: an empty range
      direct.last[j] = static_cast<std::uint16_t>(hi);
    }
    direct.large = column_lists(*this, is_large);
    direct.usable = true;
    // Sparse weights in windows (a convolution as a Dense): the direct form over each block's
    // input range can multiply less than the column lists' two multiplies per nonzero weight.
    // Blocks counted as AVX-512's 6 outputs (the estimate only picks the form; both are exact).
    if (sparse.usable) {
      std::size_t direct_products = 2 * direct.large.input.size();
      for (std::size_t j0 = 0; j0 < n_out; j0 += 6) {
        std::size_t lo = n_in, hi = 0;
        const std::size_t j1 = std::min(n_out, j0 + 6);
        for (std::size_t j = j0; j < j1; ++j) {
          if (direct.first[j] >= direct.last[j]) continue;
          lo = std::min<std::size_t>(lo, direct.first[j]);
          hi = std::max<std::size_t>(hi, direct.last[j]);
        }
        if (lo < hi) direct_products += (hi - lo) * (j1 - j0);
      }
      if (direct_products < 2 * nonzero) sparse = Split16Sparse{};
    }
  }
  vnni = Split16Vnni{};
  if (shift < 1 || shift > 8 || n_in > kSplit16MaxRows || n_out > kSplit16MaxRows) return;
  for (const std::int16_t v : w) {
    if (v < -128 || v > 127) return;
  }
  vnni.p = std::min(7, 16 - shift);
  const int q = 16 - shift - vnni.p;  // <= 8: w << q still fits 16 bits
  vnni.lin_shift = 8 - shift;
  vnni.quads = (n_in + 3) / 4;
  vnni.wq.assign(vnni.quads * n_out, 0);
  vnni.wn.resize(n_in * n_out);
  vnni.lin_init.assign(n_out, 0);
  for (std::size_t i = 0; i < n_in; ++i) {
    for (std::size_t j = 0; j < n_out; ++j) {
      const std::int16_t v = w[i * n_out + j];
      auto& quad = vnni.wq[(i / 4) * n_out + j];
      quad = static_cast<std::int32_t>(static_cast<std::uint32_t>(quad) |
                                       (static_cast<std::uint32_t>(static_cast<std::uint8_t>(v)) << (8 * (i % 4))));
      vnni.wn[i * n_out + j] = static_cast<std::int16_t>(v * (1 << q));
      vnni.lin_init[j] -= 128 * v;
    }
  }
  vnni.usable = true;
}

void dense_split16(const Split16Dense& dense, const std::int32_t* x, std::size_t batch, std::int32_t* out, const Split16Leaky* leaky,
                   std::int32_t* leaky_out) {
  HWY_DYNAMIC_DISPATCH(DenseSplit16)(dense, x, batch, out, leaky, leaky_out);
}

}  // namespace l1emu::emu::compiled
#endif
