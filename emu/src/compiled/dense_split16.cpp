// Compiled once per instruction set (Highway's foreach_target re-includes this file); see
// dense_split16.h for the arithmetic.
#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "compiled/dense_split16.cpp"
#include <hwy/foreach_target.h>  // must come before highway.h
#include <hwy/highway.h>

#include "compiled/dense_split16.h"

#include <algorithm>

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
#else
constexpr std::size_t kMaxBlock = 4;
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

// Sparse weights: each output sums its column list (a, b prepared for the used inputs only).
HWY_INLINE void sparse_columns(const Split16Dense& k, const std::int16_t* HWY_RESTRICT a, const std::int16_t* HWY_RESTRICT b,
                               std::size_t batch, std::int16_t* HWY_RESTRICT out) {
  const D16 d;
  const std::size_t n = hn::Lanes(d);
  const Split16Sparse& sp = k.sparse;
  for (std::size_t e = 0; e < batch; e += 2 * n) {
    for (std::size_t j = 0; j < k.n_out; ++j) {
      auto acc0 = hn::Set(d, k.bias[j]), acc1 = acc0;
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

void DenseSplit16(const Split16Dense& k, const std::int32_t* HWY_RESTRICT x, std::size_t batch, std::int32_t* HWY_RESTRICT out) {
  const D16Half dh;
  const D32 d32;
  const std::size_t n32 = hn::Lanes(d32);
  // a = floor(x / 2^s) and b = (x mod 2^s) << (15 - s), as 16-bit lanes (both fit: |x| < 2^15).
  HWY_ALIGN std::int16_t a[256 * 256];
  HWY_ALIGN std::int16_t b[256 * 256];
  const int s = k.shift;
  const auto low_mask = hn::Set(d32, (1 << s) - 1);
  const auto split_row = [&](std::size_t i) {
    for (std::size_t idx = i * batch; idx < (i + 1) * batch; idx += n32) {
      const auto v = hn::LoadU(d32, x + idx);  // lane arrays are not vector-aligned
      hn::Store(hn::DemoteTo(dh, hn::ShiftRightSame(v, s)), dh, a + idx);
      hn::Store(hn::DemoteTo(dh, hn::ShiftLeftSame(hn::And(v, low_mask), 15 - s)), dh, b + idx);
    }
  };
  HWY_ALIGN std::int16_t sums[256 * 256];
  if (k.sparse.usable) {
    for (const std::uint16_t i : k.sparse.used_inputs) split_row(i);
    sparse_columns(k, a, b, batch, sums);
    for (std::size_t idx = 0; idx < k.n_out * batch; idx += n32) hn::StoreU(hn::PromoteTo(d32, hn::Load(dh, sums + idx)), d32, out + idx);
    return;
  }
#if HWY_TARGET == HWY_AVX3_DL
  // CPUs of this class have AVX-512 VNNI; checked once all the same.
  static const bool vnni = __builtin_cpu_supports("avx512vnni");
  if (vnni && k.vnni.usable && batch % 64 == 0) {
    dense_split16_vnni(k, x, batch, out);
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
  // Sign-extend the 16-bit sums (the accumulator codes modulo 2^16) into the int32 rows.
  for (std::size_t idx = 0; idx < k.n_out * batch; idx += n32) hn::StoreU(hn::PromoteTo(d32, hn::Load(dh, sums + idx)), d32, out + idx);
}

}  // namespace HWY_NAMESPACE
}  // namespace l1emu::emu::compiled
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace l1emu::emu::compiled {

HWY_EXPORT(DenseSplit16);

void Split16Dense::prepare() {
  // Sparse: at most a quarter of the weights nonzero (the dense kernels then do mostly zeros).
  sparse = Split16Sparse{};
  std::size_t nonzero = 0;
  for (const std::int16_t v : w) nonzero += v != 0 ? 1U : 0U;
  if (4 * nonzero <= n_in * n_out) {
    std::vector<bool> used(n_in, false);
    sparse.begin.push_back(0);
    for (std::size_t j = 0; j < n_out; ++j) {
      for (std::size_t i = 0; i < n_in; ++i) {
        const std::int16_t v = w[i * n_out + j];
        if (v == 0) continue;
        sparse.input.push_back(static_cast<std::uint16_t>(i));
        sparse.w.push_back(v);
        sparse.w2.push_back(w2[i * n_out + j]);
        used[i] = true;
      }
      sparse.begin.push_back(static_cast<std::uint32_t>(sparse.input.size()));
    }
    for (std::size_t i = 0; i < n_in; ++i) {
      if (used[i]) sparse.used_inputs.push_back(static_cast<std::uint16_t>(i));
    }
    sparse.usable = true;
  }
  vnni = Split16Vnni{};
  if (shift < 1 || shift > 8 || n_in > 256) return;
  for (const std::int16_t v : w) {
    if (v < -128 || v > 127) return;
  }
  vnni.p = std::min(7, 16 - shift);
  const int q = 16 - shift - vnni.p;  // <= 8: w << q still fits 16 bits
  vnni.lin_shift = 8 - shift;
  vnni.quads = (n_in + 3) / 4;
  vnni.wq.assign(vnni.quads * n_out, 0);
  vnni.wn_pairs.resize(n_in * n_out);
  vnni.lin_init.assign(n_out, 0);
  for (std::size_t i = 0; i < n_in; ++i) {
    for (std::size_t j = 0; j < n_out; ++j) {
      const std::int16_t v = w[i * n_out + j];
      auto& quad = vnni.wq[(i / 4) * n_out + j];
      quad = static_cast<std::int32_t>(static_cast<std::uint32_t>(quad) |
                                       (static_cast<std::uint32_t>(static_cast<std::uint8_t>(v)) << (8 * (i % 4))));
      const auto half = static_cast<std::uint16_t>(v * (1 << q));
      vnni.wn_pairs[i * n_out + j] = static_cast<std::int32_t>((static_cast<std::uint32_t>(half) << 16) | half);
      vnni.lin_init[j] -= 128 * v;
    }
  }
  vnni.usable = true;
}

void dense_split16(const Split16Dense& dense, const std::int32_t* x, std::size_t batch, std::int32_t* out) {
  HWY_DYNAMIC_DISPATCH(DenseSplit16)(dense, x, batch, out);
}

}  // namespace l1emu::emu::compiled
#endif
